"""Vietnamese dates, day first: 21/04/2017 08:25.

Django's stock ``vi`` formats spell dates out ("Ngày 21 tháng 4 năm 2017") and
define no input formats, so "21/04/2017" falls back to the global, month-first
list and is rejected (or misread when the day is 12 or less).
"""

DATE_FORMAT = "d/m/Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "d/m/Y H:i"
YEAR_MONTH_FORMAT = r"\t\h\á\n\g n/Y"
MONTH_DAY_FORMAT = "d/m"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

# The first entry of each is what Wagtail's date pickers write (settings
# WAGTAIL_*_FORMAT); ISO stays accepted for pasted and imported values.
DATE_INPUT_FORMATS = [
    "%d/%m/%Y",  # 21/04/2017
    "%d-%m-%Y",  # 21-04-2017
    "%d.%m.%Y",  # 21.04.2017
    "%Y-%m-%d",  # 2017-04-21
]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = [
    "%d/%m/%Y %H:%M",  # 21/04/2017 08:25
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M:%S.%f",
    "%d/%m/%Y",
    "%d-%m-%Y %H:%M",  # 21-04-2017 08:25
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y",
    "%d.%m.%Y %H:%M",
    "%d.%m.%Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M:%S.%f",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%d",
]

DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
NUMBER_GROUPING = 3
