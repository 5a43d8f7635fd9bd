# Sources of the operations commands (owned by the ops work).
target_sources(gazette_indexer_lib PRIVATE
  generation_commands.cpp
  pending_commands.cpp
)
