"""预算绩效填报 (jixiao): offline budget-performance forms for Chinese government units."""

APP_NAME = "预算绩效填报"
APP_ID = "jixiao"
__version__ = "0.1.0"
