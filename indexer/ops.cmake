# Sources of the operations commands (owned by the ops work). Jobs are library functions used
# by the CLI wrappers (ops_commands.cpp) and by serve's job API.
target_sources(gazette_indexer_lib PRIVATE
  generation_commands.cpp
  ops_commands.cpp
  jobs/catch_up.cpp
  jobs/compact_job.cpp
  jobs/disk_space.cpp
  jobs/generation_files.cpp
  jobs/job_control.cpp
  jobs/ranking_diff.cpp
  jobs/reindex_job.cpp
  jobs/retag_job.cpp
  jobs/retention.cpp
  jobs/sharded_build.cpp
  jobs/verify_job.cpp
)
