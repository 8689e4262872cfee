import datetime as dt

from pipeline.ingest import ingest, read_header


def test_iso_dateline():
    header = read_header(" date 2025-12-13 رئیسجمهور در گفتوگو")
    assert header["dateline_date"] == dt.date(2025, 12, 13)
    assert (header["dateline_start"], header["dateline_end"]) == (6, 16)
    assert header["dateline_rule_id"] == "header.dateline_iso"


def test_jalali_dateline_with_weekday_and_time():
    raw = "تاریخ : 1403,سه شنبه 09 مرداد17:07\nکد خبر : 663611 - سرویس خبری : سیاسی"
    header = read_header(raw)
    assert header["dateline_date"] == dt.date(2024, 7, 30)
    assert header["dateline_calendar"] == "jalali"
    assert raw[header["dateline_start"] : header["dateline_end"]] == "1403,سه شنبه 09 مرداد"
    assert header["news_code"] == "663611"


def test_agency_cues():
    assert read_header("متن. به گزارش ایسنا، حوزه آسیای مرکزی")["agency"] == "ایسنا"
    assert read_header("به گزارش خبرنگار مهر مسعود پزشکیان")["agency"] == "مهر"
    assert read_header("متن خبر\nمنبع : ایلنا")["agency"] == "ایلنا"


def test_no_header_no_dateline():
    assert read_header("قزاقستان به عنوان یک کشور مهم").get("dateline_date") is None


def test_unreadable_and_empty_files_are_recorded_not_dropped(tmp_path):
    (tmp_path / "good.txt").write_text("به گزارش ایسنا، ۲۳۵ میلیون دلار", encoding="utf-8")
    (tmp_path / "empty.txt").write_text("  \n", encoding="utf-8")
    (tmp_path / "latin1.txt").write_bytes(b"\xff\xfe\x00bad")
    docs = ingest(tmp_path).set_index("doc_id")
    assert docs.loc["good", "status"] == "ok"
    assert docs.loc["empty", "status"] == "empty"
    assert docs.loc["latin1", "status"] == "undecodable"
    assert "UTF-8" in docs.loc["latin1", "reason"]
