# Article readers (owned by the readers module). Included by indexer/CMakeLists.txt:
#   include(${CMAKE_CURRENT_SOURCE_DIR}/readers/sources.cmake)
# Paths are relative to indexer/.
set(GAZETTE_READER_SOURCES
  readers/article_ids.cpp
  readers/boilerplate.cpp
  readers/html_reader.cpp
  readers/jsonl_reader.cpp
  readers/loose_date.cpp
  readers/reader.cpp
  readers/text_reader.cpp
)
# Only .cpp files use these; no reader header exposes them, so link them PRIVATE.
set(GAZETTE_READER_LIBS
  simdjson::simdjson
  gazette::gumbo
  fmt::fmt
)
