"""The planner's web page (`llct-sched serve`): FastAPI, Jinja2 templates, a little plain JavaScript.

Needs the `web` extra (fastapi, uvicorn, jinja2, python-multipart, sqlalchemy, psycopg). Uses only
the library's public API: `llct_sched.pipeline`, the report writers, the re-plan API, and
`llct_sched.batch.dask_client` for a Dask cluster.
"""
