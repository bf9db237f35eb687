import XLSXFormat
