# Sources of the serve daemon (owned by the serve work). Paths relative to indexer/.
target_sources(gazette_indexer_lib PRIVATE
  serve/admin_api.cpp
  serve/admin_auth.cpp
  serve/article_intake.cpp
  serve/inbox_watcher.cpp
  serve/job_manager.cpp
  serve/serve_command.cpp
  serve/serve_jobs.cpp
  serve/serve_metrics.cpp
  serve/writer_loop.cpp
)
set(GAZETTE_SERVE_LIBS gazette::httpd)
