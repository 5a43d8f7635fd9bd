# Sources of `gazette-indexer follow` (replication). Paths relative to indexer/.
target_sources(gazette_indexer_lib PRIVATE
  replica/follow_command.cpp
  replica/follower.cpp
  replica/primary_client.cpp
  replica/replicate_tool.cpp
)
