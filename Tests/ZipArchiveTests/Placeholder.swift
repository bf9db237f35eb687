import ZipArchive
