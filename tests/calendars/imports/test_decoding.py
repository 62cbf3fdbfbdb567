"""Decoding plan files as Chinese, German, Spanish and English Excel save them."""

import pytest

from calendars.imports.decoding import (
    COLUMN_ALIASES,
    EmptyFile,
    ForbiddenCharacter,
    NumberOutOfRange,
    TooManyRows,
    UndecodableFile,
    decode_table,
    header_column,
    header_map,
    parse_number,
)

CANONICAL = {"date", "work_centre", "load", "capacity"}


def test_a_gbk_file_with_chinese_headers_is_read_as_gb18030():
    data = "日期,工作中心,计划负荷,产能\r\n2026-01-05,一车间,320.5,400\r\n".encode(
        "gbk"
    )

    table = decode_table(data=data, filename="计划.csv")

    assert table.encoding == "gb18030"
    assert table.delimiter == ","
    assert not table.decimal_comma
    assert table.header == ["日期", "工作中心", "计划负荷", "产能"]
    assert table.header_map == {
        "日期": "date",
        "工作中心": "work_centre",
        "计划负荷": "load",
        "产能": "capacity",
    }
    assert table.rows == [["2026-01-05", "一车间", "320.5", "400"]]


def test_chinese_utf8_is_never_misread_as_gb18030():
    data = "日期,负荷,产能\n2026-01-05,320,400\n".encode()

    table = decode_table(data=data, filename="plan.csv")

    assert table.encoding == "utf-8"
    assert table.header == ["日期", "负荷", "产能"]


def test_utf8_with_a_byte_order_mark_loses_the_mark_from_the_first_header():
    data = "\ufeffdate,load,capacity\n2026-01-05,320,400\n".encode()

    table = decode_table(data=data, filename="plan.csv")

    assert table.encoding == "utf-8"
    assert table.header == ["date", "load", "capacity"]
    assert table.header_map == {"date": "date", "load": "load", "capacity": "capacity"}


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be"])
def test_excel_unicode_text_is_utf16_with_tabs(codec):
    text = "日期\t负荷\t产能\r\n2026-01-05\t320.5\t400\r\n"
    data = text.encode(codec)
    if codec == "utf-16-be":
        data = b"\xfe\xff" + data  # big-endian with its byte-order mark

    table = decode_table(data=data, filename="plan.txt")

    assert table.encoding == "utf-16"
    assert table.delimiter == "\t"
    assert table.header_map == {"日期": "date", "负荷": "load", "产能": "capacity"}
    assert table.rows == [["2026-01-05", "320.5", "400"]]
    assert not table.decimal_comma


def test_german_excel_uses_semicolons_and_decimal_commas():
    text = (
        "Datum;Arbeitsplatz;Belastung;Kapazität\r\n"
        "2026-01-05;Presse 1;1.234,5;2.000\r\n"
        "2026-01-06;Presse 1;320,5;400\r\n"
    )

    table = decode_table(data=text.encode(), filename="plan.csv")

    assert table.delimiter == ";"
    assert table.decimal_comma
    assert set(table.header_map.values()) == CANONICAL
    numbers = [parse_number(row[2], decimal_comma=True) for row in table.rows]
    assert numbers == [1234.5, 320.5]
    assert parse_number(table.rows[0][3], decimal_comma=True) == 2000.0


def test_german_excel_windows_1252_is_not_mistaken_for_gb18030():
    # "Kapazität" in Windows-1252 is also valid GB18030 ("Kapazit鋞").
    text = "Datum;Last;Kapazität\r\n2026-01-05;320,5;400\r\n"

    table = decode_table(data=text.encode("cp1252"), filename="plan.csv")

    assert table.encoding == "cp1252"
    assert table.header == ["Datum", "Last", "Kapazität"]
    assert table.decimal_comma


def test_spanish_headers_map_to_the_plan_columns():
    text = (
        "Fecha;Centro de trabajo;Carga;Capacidad\n"
        "2026-01-05;Línea 1;320,5;400\n"
        "2026-01-06;Línea 1;300;400\n"
    )

    table = decode_table(data=text.encode(), filename="plan.csv")

    assert table.header_map == {
        "Fecha": "date",
        "Centro de trabajo": "work_centre",
        "Carga": "load",
        "Capacidad": "capacity",
    }
    assert table.decimal_comma
    assert table.rows[0][1] == "Línea 1"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        (" WORK CENTER ", "work_centre"),
        ("Work_Centre", "work_centre"),
        ("centro  de trabajo", "work_centre"),
        ("KAPAZITÄT", "capacity"),
        ("ＬＯＡＤ", "load"),
        ("\ufeffDatum", "date"),
        ("belastung", "load"),
    ],
)
def test_headers_match_ignoring_case_spaces_and_byte_order_marks(header, column):
    assert header_map([header]) == {header: column}


def test_unknown_headers_are_left_out_of_the_header_map():
    assert header_map(["date", "Menge", ""]) == {"date": "date"}


def test_every_alias_belongs_to_one_column():
    normalised = [
        (alias.casefold().replace(" ", "").replace("_", ""), column)
        for column, aliases in COLUMN_ALIASES.items()
        for alias in aliases
    ]

    assert len({alias for alias, _ in normalised}) == len(normalised)
    assert set(COLUMN_ALIASES) == CANONICAL


def test_mixed_decimal_points_and_commas_do_not_switch_to_decimal_commas():
    text = "date;load;capacity\n2026-01-05;320.5;400\n2026-01-06;1,5;400\n"

    table = decode_table(data=text.encode(), filename="plan.csv")

    assert table.delimiter == ";"
    assert not table.decimal_comma


def test_a_comma_delimited_file_never_has_decimal_commas():
    text = 'date,load,capacity\n2026-01-05,"320,5",400\n'

    table = decode_table(data=text.encode(), filename="plan.csv")

    assert table.rows == [["2026-01-05", "320,5", "400"]]
    assert not table.decimal_comma


def test_tab_files_take_a_decimal_comma_only_when_it_cannot_group_thousands():
    ambiguous = "date\tload\tcapacity\n2026-01-05\t1,234\t2,000\n"
    german = "date\tload\tcapacity\n2026-01-05\t320,5\t400\n"

    assert not decode_table(data=ambiguous.encode(), filename="a.txt").decimal_comma
    assert decode_table(data=german.encode(), filename="b.txt").decimal_comma


def test_excels_sep_line_sets_the_delimiter_and_is_skipped():
    text = "sep=;\nDatum;Last;Kapazität\n2026-01-05;320,5;400\n"

    table = decode_table(data=text.encode(), filename="plan.csv")

    assert table.delimiter == ";"
    assert table.header == ["Datum", "Last", "Kapazität"]
    assert table.header_row == 2


def test_blank_rows_are_kept_so_row_numbers_match_the_file():
    text = "\ndate,load,capacity\n\n2026-01-05,320,400\n"

    table = decode_table(data=text.encode(), filename="plan.csv")

    assert table.header_row == 2
    assert table.rows == [[], ["2026-01-05", "320", "400"]]


@pytest.mark.parametrize(
    "data",
    [
        b"\x80\x80\xff\n\x80",  # invalid UTF-8 and GB18030; no delimiter
        b"date load capacity\n2026-01-05 320 400\n",  # no delimiter at all
        b"",
    ],
    ids=["bytes", "no-delimiter", "empty"],
)
def test_an_undecodable_file_gets_one_error_naming_encodings_and_delimiters(data):
    with pytest.raises(UndecodableFile) as error:
        decode_table(data=data, filename="plan.csv")

    message = str(error.value)
    assert message.startswith("plan.csv: ")
    for name in ("UTF-8", "UTF-16", "GB18030", "comma", "semicolon", "tab"):
        assert name in message
    assert isinstance(error.value, ValueError)


def test_a_nul_in_a_cell_names_the_row_and_column():
    text = "date,load,capacity\n2026-01-05,320,400\n2026-01-06,3\x0020,400\n"

    with pytest.raises(ForbiddenCharacter) as error:
        decode_table(data=text.encode(), filename="plan.csv")

    assert (error.value.row, error.value.column) == (3, "load")
    assert "row 3, column load" in str(error.value)
    assert "U+0000" in str(error.value)


def test_control_characters_are_found_in_headers_and_unnamed_columns():
    in_header = "date,lo\x07ad,capacity\n2026-01-05,320,400\n"
    unnamed = "date,load,capacity\n2026-01-05,320,400,\x1b\n"

    with pytest.raises(ForbiddenCharacter) as header_error:
        decode_table(data=in_header.encode(), filename="plan.csv")
    with pytest.raises(ForbiddenCharacter) as unnamed_error:
        decode_table(data=unnamed.encode(), filename="plan.csv")

    assert (header_error.value.row, header_error.value.column) == (1, "lo\x07ad")
    assert (unnamed_error.value.row, unnamed_error.value.column) == (2, "D")


def test_tabs_and_line_breaks_inside_quoted_cells_are_allowed():
    text = 'date,work_centre,load,capacity\n2026-01-05,"Line\n1\tA",320,400\n'

    table = decode_table(data=text.encode(), filename="plan.csv")

    assert table.rows == [["2026-01-05", "Line\n1\tA", "320", "400"]]


@pytest.mark.parametrize(
    ("text", "decimal_comma", "number"),
    [
        ("320.5", False, 320.5),
        (" 1e3 ", False, 1000.0),
        ("-0.25", False, -0.25),
        (".5", False, 0.5),
        ("320,5", True, 320.5),
        ("1.234,5", True, 1234.5),
        ("1.234", True, 1234.0),
        ("-0,5", True, -0.5),
        (",5", True, 0.5),
        ("2.000.000", True, 2000000.0),
    ],
)
def test_numbers_parse_by_the_files_decimal_separator(text, decimal_comma, number):
    assert parse_number(text, decimal_comma=decimal_comma) == number


@pytest.mark.parametrize(
    ("text", "decimal_comma"),
    [
        ("", False),
        ("abc", False),
        ("nan", False),
        ("inf", False),
        ("1e999", False),
        ("1,234.5", False),
        ("320,5", False),
        ("320.5", True),
        ("1.23,4", True),
        ("12.34.567,8", True),
        ("1,2,3", True),
        ("0x10", False),
    ],
)
def test_garbage_and_non_finite_numbers_are_rejected(text, decimal_comma):
    with pytest.raises(ValueError):
        parse_number(text, decimal_comma=decimal_comma)


@pytest.mark.parametrize(
    ("text", "sign"), [("1e309", 1), ("-1e309", -1), ("1.0e400", 1)]
)
def test_numbers_beyond_a_float_are_out_of_range_with_their_sign(text, sign):
    with pytest.raises(NumberOutOfRange) as error:
        parse_number(text, decimal_comma=False)

    assert error.value.sign == sign


def test_spanish_windows_1252_with_ascii_headers_is_not_read_as_gb18030():
    # "Línea" is valid GB18030 ("L" + a rare GBK-only character + "ea").
    text = "Fecha;Centro de trabajo;Carga;Capacidad\n2026-01-05;Línea 1;320,5;400\n"

    table = decode_table(data=text.encode("cp1252"), filename="plan.csv")

    assert table.encoding == "cp1252"
    assert table.rows == [["2026-01-05", "Línea 1", "320,5", "400"]]


def test_chinese_gbk_cells_under_english_headers_stay_gb18030():
    text = "date,work_centre,load,capacity\n2026-01-05,总装一车间,320,400\n"

    table = decode_table(data=text.encode("gbk"), filename="plan.csv")

    assert table.encoding == "gb18030"
    assert table.rows[0][1] == "总装一车间"


@pytest.mark.parametrize(
    "data",
    [b"\xef\xbb\xbf", b",,\n;;\n", b"  \r\n", "\r\n".encode("utf-16")],
    ids=["bom", "delimiters", "blanks", "utf16-blank"],
)
def test_a_file_of_blanks_and_delimiters_is_empty(data):
    with pytest.raises(EmptyFile) as error:
        decode_table(data=data, filename="plan.csv")

    assert isinstance(error.value, UndecodableFile)
    assert str(error.value).startswith("plan.csv: is empty.")


def test_reading_stops_as_soon_as_there_are_too_many_rows():
    header, row = b"date,load,capacity\n", b"2026-01-05,1,2\n"
    # Past the rows the layout is sniffed from: a cell the csv module refuses.
    unreadable = header + row * 50 + b"x" * 200_000 + b"\n"

    assert len(decode_table(data=header + row * 5, filename="p", max_rows=5).rows) == 5
    with pytest.raises(TooManyRows) as error:
        decode_table(data=header + row * 6, filename="p", max_rows=5)
    with pytest.raises(TooManyRows):
        decode_table(data=unreadable, filename="p", max_rows=5)
    with pytest.raises(UndecodableFile):
        decode_table(data=unreadable, filename="p")

    assert error.value.max_rows == 5


def test_the_caller_may_check_control_characters_itself():
    text = "date,load,capacity\n2026-01-05,3\x0020,400\n"

    table = decode_table(data=text.encode(), filename="p.csv", check_characters=False)

    assert table.rows == [["2026-01-05", "3\x0020", "400"]]


def test_a_header_cell_names_its_canonical_column_or_none():
    assert [header_column(h) for h in ("计划负荷", "Kapazität", "Menge")] == [
        "load",
        "capacity",
        None,
    ]
