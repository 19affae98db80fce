"""The service catalog (事项目录) as declarative data files, their schema and loader. No Qt, no DB."""
