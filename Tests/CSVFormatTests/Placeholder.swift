import CSVFormat
