"""The CP-SAT model: stage 1 (calendar) and stage 2 (staffing); only this package imports OR-Tools."""
