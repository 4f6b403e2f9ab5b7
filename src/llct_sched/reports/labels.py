"""Labels of every report in Vietnamese (the default, with full diacritics) and English.

`labels(lang)` returns one flat dictionary; keys are stable identifiers used by the report writers.
Enum values (program types, blocs, periods, kinds, goals) are looked up under "<enum>.<value>".
"""

from __future__ import annotations

import datetime as dt

LANGS = ("vi", "en")

VI: dict[str, str] = {
    # program types, blocs, periods, kinds
    "program_type.trung_cap": "Trung cấp LLCT-HC",
    "program_type.so_cap": "Sơ cấp LLCT",
    "program_type.boi_duong": "Bồi dưỡng",
    "bloc.dang": "Khối Đảng",
    "bloc.chinh_quyen": "Khối chính quyền",
    "bloc.doan_the": "Khối đoàn thể",
    "bloc.none": "—",
    "period.morning": "Sáng",
    "period.afternoon": "Chiều",
    "lecturer_kind.full_time": "Giảng viên",
    "lecturer_kind.part_time": "Giảng viên kiêm chức",
    "lecturer_kind.external": "Giảng viên mời",
    "room_kind.hall": "Hội trường",
    "room_kind.classroom": "Phòng học",
    "room_kind.borrowed": "Hội trường mượn",
    "taught_by.external": "Trường Chính trị tỉnh giảng dạy",
    # goals of the objective
    "goal.preferred_months": "Tháng mong muốn",
    "goal.month_spread": "Dàn đều trong năm",
    "goal.avoid_event_days": "Tránh ngày sự kiện",
    "goal.borrowed_room": "Hội trường mượn",
    "goal.room_stability": "Ổn định phòng học",
    "goal.module_lecturer_stability": "Ổn định giảng viên theo học phần",
    "goal.lecturer_balance": "Cân đối tải giảng viên",
    "goal.teaching_norm": "Định mức giảng dạy",
    "goal.observation_spread": "Dàn đều dự giờ",
    "goal.room_capacity": "Vượt sức chứa phòng",
    "goal.min_days": "Số ngày học tối thiểu",
    "goal.isolated_sessions": "Buổi học rời rạc của nhóm",
    # common words
    "month": "Tháng",
    "month_n": "Tháng {n}",
    "total": "Tổng cộng",
    "yes": "Có",
    "no": "Không",
    "none": "—",
    "no_class_this_month": "Không có lớp",
    "month_heading": "Tháng {n}: {classes} lớp, {learners} học viên",
    # columns
    "col.no": "TT",
    "col.class": "Tên lớp",
    "col.class_id": "Mã lớp",
    "col.program": "Chương trình",
    "col.program_type": "Hệ",
    "col.bloc": "Khối",
    "col.learners": "Số học viên",
    "col.start": "Ngày bắt đầu",
    "col.end": "Ngày kết thúc",
    "col.dates": "Thời gian",
    "col.days": "Số ngày học",
    "col.sessions": "Số buổi",
    "col.room": "Phòng học",
    "col.rooms": "Phòng học",
    "col.lecturers": "Giảng viên",
    "col.lecturer": "Giảng viên",
    "col.lecturer_id": "Mã giảng viên",
    "col.kind": "Loại",
    "col.date": "Ngày",
    "col.weekday": "Thứ",
    "col.period": "Buổi",
    "col.module": "Học phần / chuyên đề",
    "col.seats": "Số chỗ",
    "col.observer": "Người dự giờ",
    "col.observed": "Giảng viên được dự giờ",
    "col.visits": "Số lượt dự giờ",
    "col.required": "Yêu cầu",
    "col.covered": "Đạt",
    "col.norm": "Định mức (buổi/năm)",
    "col.innovation": "Sáng kiến kinh nghiệm",
    "col.target": "Chỉ tiêu",
    "col.planned": "Kế hoạch (danh sách lớp)",
    "col.scheduled": "Đã xếp lịch",
    "col.difference": "Chênh lệch",
    "col.target_classes": "Chỉ tiêu: số lớp",
    "col.planned_classes": "Danh sách lớp: số lớp",
    "col.scheduled_classes": "Đã xếp lịch: số lớp",
    "col.target_learners": "Chỉ tiêu: số học viên",
    "col.planned_learners": "Danh sách lớp: số học viên",
    "col.scheduled_learners": "Đã xếp lịch: số học viên",
    "col.item": "Nội dung",
    "col.value": "Giá trị",
    "col.goal": "Mục tiêu mềm",
    "col.weight": "Trọng số",
    "col.penalty": "Mức vi phạm",
    "col.cost": "Điểm phạt",
    "col.used_sessions": "Số buổi sử dụng",
    "col.open_sessions": "Số buổi có thể dùng",
    "col.occupancy": "Tỷ lệ sử dụng",
    "col.message": "Nội dung",
    "col.where": "Vị trí",
    "col.blocks": "Các đợt học",
    "col.result": "Kết quả",
    "col.with_report": "Có sáng kiến",
    # sheets (at most 31 characters)
    "sheet.plan": "Kế hoạch chi tiết",
    "sheet.classes": "Lớp học",
    "sheet.sessions": "Buổi học",
    "sheet.lecturers": "Giảng viên",
    "sheet.lecturer_sessions": "Lịch giảng",
    "sheet.rooms": "Phòng học",
    "sheet.room_sessions": "Lịch phòng",
    "sheet.observations": "Dự giờ",
    "sheet.targets": "Chỉ tiêu kế hoạch",
    # titles
    "title.annex": "KẾ HOẠCH ĐÀO TẠO, BỒI DƯỠNG CHI TIẾT CÁC LỚP NĂM {year}",
    "title.annex_sub": "(Kèm theo Kế hoạch {plan})",
    "title.annex_sub_plain": "(Kèm theo kế hoạch công tác giáo dục lý luận chính trị năm {year})",
    "title.classes_targets": "Số lớp, số học viên theo chỉ tiêu",
    "title.observation": "Dự giờ giảng viên",
    "title.quality": "Chỉ tiêu chất lượng",
    "title.inconsistencies": "Điểm chưa thống nhất trong kế hoạch",
    "title.no_inconsistency": "Không có điểm chưa thống nhất.",
    "title.report": "Báo cáo thời khóa biểu năm {year}",
    "title.solver": "Kết quả giải",
    "title.gantt": "Các lớp trong năm theo phòng học",
    "title.load": "Số buổi giảng của giảng viên theo tháng",
    "title.occupancy": "Tỷ lệ sử dụng phòng học theo tháng (%)",
    "title.coverage": "Số lượt được dự giờ của giảng viên",
    "title.breakdown": "Hàm mục tiêu theo mục tiêu mềm",
    "title.hard_rules": "Kiểm tra độc lập",
    # targets sheet rows
    "target.observation_all": "Mỗi giảng viên, giảng viên kiêm chức được dự giờ ít nhất {n} lượt",
    "target.observed_lecturers": "Giảng viên được dự giờ đủ số lượt",
    "target.innovation_full_time": "100% giảng viên có sáng kiến kinh nghiệm",
    "target.innovation_part_time": "50% giảng viên kiêm chức có sáng kiến kinh nghiệm",
    "target.met": "Đạt",
    "target.not_met": "Chưa đạt",
    "target.all_classes": "Tổng số lớp",
    # solver
    "solver.status": "Trạng thái",
    "solver.objective": "Giá trị hàm mục tiêu",
    "solver.bound": "Cận dưới",
    "solver.gap": "Khoảng cách tối ưu (gap)",
    "solver.first_feasible": "Thời gian tìm lời giải đầu tiên (giây)",
    "solver.wall_time": "Tổng thời gian (giây)",
    "solver.check_ok": "Mọi ràng buộc cứng đều thỏa mãn",
    "solver.check_failed": "{n} vi phạm ràng buộc cứng",
    "solver.scenario": "Kịch bản",
    "solver.classes": "Số lớp đã xếp",
    "solver.sessions": "Số buổi học",
    "solver.observations": "Số lượt dự giờ",
    # annex header
    "annex.left_top": "THỊ ỦY HOÀNG MAI",
    "annex.left_bottom": "TRUNG TÂM CHÍNH TRỊ",
    "annex.right_top": "ĐẢNG CỘNG SẢN VIỆT NAM",
    "annex.place_date": "{place}, ngày {day:02d} tháng {month:02d} năm {year}",
    "annex.signature": "GIÁM ĐỐC",
    "annex.total_row": "Cộng: {classes} lớp, {learners} học viên",
    # calendar
    "ics.session": "{klass} — {module}",
    "ics.observe": "Dự giờ {lecturer}: {klass}",
    "ics.observed": "Được dự giờ ({observer}): {klass}",
    "ics.lecturer_cal": "Lịch giảng — {name}",
    "ics.room_cal": "Lịch phòng — {name}",
    "ics.lecturer": "Giảng viên",
    "ics.room": "Phòng",
    "ics.learners": "Số học viên",
    # html
    "html.axis_month": "Tháng",
    "html.axis_sessions": "Số buổi",
    "html.axis_visits": "Số lượt",
    "html.axis_cost": "Điểm phạt",
    "html.required": "Yêu cầu",
    "html.received": "Được dự giờ",
}

EN: dict[str, str] = {
    "program_type.trung_cap": "Intermediate political theory (TC LLCT-HC)",
    "program_type.so_cap": "Elementary political theory (SC LLCT)",
    "program_type.boi_duong": "Refresher (bồi dưỡng)",
    "bloc.dang": "Party bloc",
    "bloc.chinh_quyen": "Government bloc",
    "bloc.doan_the": "Mass organisations bloc",
    "bloc.none": "—",
    "period.morning": "Morning",
    "period.afternoon": "Afternoon",
    "lecturer_kind.full_time": "Full-time lecturer",
    "lecturer_kind.part_time": "Part-time lecturer",
    "lecturer_kind.external": "External lecturer",
    "room_kind.hall": "Hall",
    "room_kind.classroom": "Classroom",
    "room_kind.borrowed": "Borrowed hall",
    "taught_by.external": "Taught by the provincial political school",
    "goal.preferred_months": "Preferred months",
    "goal.month_spread": "Spread over the year",
    "goal.avoid_event_days": "Avoid event days",
    "goal.borrowed_room": "Borrowed room",
    "goal.room_stability": "Room stability",
    "goal.module_lecturer_stability": "One lecturer per module",
    "goal.lecturer_balance": "Lecturer balance",
    "goal.teaching_norm": "Teaching norm",
    "goal.observation_spread": "Spread of observation visits",
    "goal.room_capacity": "Room capacity exceeded",
    "goal.min_days": "Minimum meeting days",
    "goal.isolated_sessions": "Isolated sessions of a group",
    "month": "Month",
    "month_n": "Month {n}",
    "total": "Total",
    "yes": "Yes",
    "no": "No",
    "none": "—",
    "no_class_this_month": "No class",
    "month_heading": "Month {n}: {classes} classes, {learners} learners",
    "col.no": "No.",
    "col.class": "Class",
    "col.class_id": "Class id",
    "col.program": "Program",
    "col.program_type": "Type",
    "col.bloc": "Bloc",
    "col.learners": "Learners",
    "col.start": "Start",
    "col.end": "End",
    "col.dates": "Dates",
    "col.days": "Days",
    "col.sessions": "Sessions",
    "col.room": "Room",
    "col.rooms": "Rooms",
    "col.lecturers": "Lecturers",
    "col.lecturer": "Lecturer",
    "col.lecturer_id": "Lecturer id",
    "col.kind": "Kind",
    "col.date": "Date",
    "col.weekday": "Weekday",
    "col.period": "Session",
    "col.module": "Module",
    "col.seats": "Seats",
    "col.observer": "Observer",
    "col.observed": "Observed lecturer",
    "col.visits": "Visits",
    "col.required": "Required",
    "col.covered": "Covered",
    "col.norm": "Norm (sessions/year)",
    "col.innovation": "Innovation report",
    "col.target": "Target",
    "col.planned": "Planned (class list)",
    "col.scheduled": "Scheduled",
    "col.difference": "Difference",
    "col.target_classes": "Target: classes",
    "col.planned_classes": "Class list: classes",
    "col.scheduled_classes": "Scheduled: classes",
    "col.target_learners": "Target: learners",
    "col.planned_learners": "Class list: learners",
    "col.scheduled_learners": "Scheduled: learners",
    "col.item": "Item",
    "col.value": "Value",
    "col.goal": "Soft goal",
    "col.weight": "Weight",
    "col.penalty": "Penalty",
    "col.cost": "Cost",
    "col.used_sessions": "Sessions used",
    "col.open_sessions": "Sessions open",
    "col.occupancy": "Occupancy",
    "col.message": "Message",
    "col.where": "Where",
    "col.blocks": "Meeting periods",
    "col.result": "Result",
    "col.with_report": "With a report",
    "sheet.plan": "Detailed plan",
    "sheet.classes": "Classes",
    "sheet.sessions": "Sessions",
    "sheet.lecturers": "Lecturers",
    "sheet.lecturer_sessions": "Lecturer sessions",
    "sheet.rooms": "Rooms",
    "sheet.room_sessions": "Room sessions",
    "sheet.observations": "Observations",
    "sheet.targets": "Plan vs targets",
    "title.annex": "DETAILED TRAINING PLAN OF THE CLASSES, {year}",
    "title.annex_sub": "(Annex to plan {plan})",
    "title.annex_sub_plain": "(Annex to the political theory education plan for {year})",
    "title.classes_targets": "Classes and learners against the targets",
    "title.observation": "Lesson observation",
    "title.quality": "Quality targets",
    "title.inconsistencies": "Inconsistencies in the plan",
    "title.no_inconsistency": "No inconsistency.",
    "title.report": "Timetable report {year}",
    "title.solver": "Solver result",
    "title.gantt": "Classes over the year by room",
    "title.load": "Sessions taught by lecturer and month",
    "title.occupancy": "Room occupancy by month (%)",
    "title.coverage": "Observation visits received by lecturer",
    "title.breakdown": "Objective by soft goal",
    "title.hard_rules": "Independent check",
    "target.observation_all": "Every lecturer observed at least {n} time(s)",
    "target.observed_lecturers": "Lecturers observed enough",
    "target.innovation_full_time": "100% of full-time lecturers with an innovation report",
    "target.innovation_part_time": "50% of part-time lecturers with an innovation report",
    "target.met": "Met",
    "target.not_met": "Not met",
    "target.all_classes": "All classes",
    "solver.status": "Status",
    "solver.objective": "Objective",
    "solver.bound": "Bound",
    "solver.gap": "Gap",
    "solver.first_feasible": "First feasible (s)",
    "solver.wall_time": "Wall time (s)",
    "solver.check_ok": "Every hard rule holds",
    "solver.check_failed": "{n} hard-rule violation(s)",
    "solver.scenario": "Scenario",
    "solver.classes": "Classes scheduled",
    "solver.sessions": "Sessions",
    "solver.observations": "Observation visits",
    "annex.left_top": "THỊ ỦY HOÀNG MAI",
    "annex.left_bottom": "TRUNG TÂM CHÍNH TRỊ",
    "annex.right_top": "ĐẢNG CỘNG SẢN VIỆT NAM",
    "annex.place_date": "{place}, {day:02d}/{month:02d}/{year}",
    "annex.signature": "DIRECTOR",
    "annex.total_row": "Total: {classes} classes, {learners} learners",
    "ics.session": "{klass} — {module}",
    "ics.observe": "Observe {lecturer}: {klass}",
    "ics.observed": "Observed by {observer}: {klass}",
    "ics.lecturer_cal": "Teaching — {name}",
    "ics.room_cal": "Room — {name}",
    "ics.lecturer": "Lecturer",
    "ics.room": "Room",
    "ics.learners": "Learners",
    "html.axis_month": "Month",
    "html.axis_sessions": "Sessions",
    "html.axis_visits": "Visits",
    "html.axis_cost": "Cost",
    "html.required": "Required",
    "html.received": "Received",
}

_WEEKDAYS = {
    "vi": ["Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}


class Labels:
    """The labels of one language, with date formatting (dd/mm/yyyy in Vietnamese, ISO in English)."""

    def __init__(self, lang: str = "vi"):
        if lang not in LANGS:
            raise ValueError(f"unknown language '{lang}' (have: {', '.join(LANGS)})")
        self.lang = lang
        self.table = VI if lang == "vi" else EN

    def __call__(self, key: str, **fields: object) -> str:
        text = self.table.get(key, key)
        return text.format(**fields) if fields else text

    def enum(self, kind: str, value: object) -> str:
        raw = getattr(value, "value", value)
        if raw is None or raw == "":
            return self.table.get(f"{kind}.none", "")
        return self.table.get(f"{kind}.{raw}", str(raw))

    def date(self, day: dt.date) -> str:
        return day.strftime("%d/%m/%Y") if self.lang == "vi" else day.isoformat()

    @property
    def date_format(self) -> str:
        """The Excel number format of date cells."""
        return "dd/mm/yyyy" if self.lang == "vi" else "yyyy-mm-dd"

    def short_date(self, day: dt.date) -> str:
        """dd/mm in Vietnamese, MM-DD in English (the year is the plan's)."""
        return day.strftime("%d/%m") if self.lang == "vi" else day.strftime("%m-%d")

    def weekday(self, day: dt.date) -> str:
        return _WEEKDAYS[self.lang][day.weekday()]

    def month(self, n: int) -> str:
        return self("month_n", n=n)

    def date_range(self, first: dt.date, last: dt.date) -> str:
        if first == last:
            return self.date(first)
        return f"{self.date(first)} – {self.date(last)}"


def labels(lang: str = "vi") -> Labels:
    return Labels(lang)
