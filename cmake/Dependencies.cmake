# Every third-party dependency wrapped once as an imported target.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)

find_package(xapian CONFIG REQUIRED)
add_library(gazette_xapian INTERFACE)
target_include_directories(gazette_xapian SYSTEM INTERFACE ${XAPIAN_INCLUDE_DIR})
target_link_libraries(gazette_xapian INTERFACE ${XAPIAN_LIBRARIES})
add_library(gazette::xapian ALIAS gazette_xapian)

find_package(Boost 1.81 REQUIRED COMPONENTS json)
find_package(simdjson REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
find_package(tomlplusplus REQUIRED)
find_package(CLI11 CONFIG REQUIRED)

pkg_check_modules(GUMBO REQUIRED IMPORTED_TARGET gumbo)
add_library(gazette_gumbo INTERFACE)
target_link_libraries(gazette_gumbo INTERFACE PkgConfig::GUMBO)
add_library(gazette::gumbo ALIAS gazette_gumbo)

find_library(CLD2_LIBRARY cld2 REQUIRED)
add_library(gazette_cld2 INTERFACE)
target_link_libraries(gazette_cld2 INTERFACE ${CLD2_LIBRARY})
add_library(gazette::cld2 ALIAS gazette_cld2)

# The daemons' allocator: jemalloc (Debian's libjemalloc-dev) where available, except in
# sanitizer builds, which keep the sanitizer's allocator. Xapian's matcher and writer allocate
# heavily (std::map nodes, strings); measured: searchd -5% CPU per two-word query at 10k,
# reindex +12% articles/s at 100k (bench/README.md). Linked as needed-or-not: nothing calls it by
# name, it replaces malloc by symbol interposition.
add_library(gazette_allocator INTERFACE)
if(NOT GAZETTE_SANITIZE)
  find_library(JEMALLOC_LIBRARY jemalloc)
  if(JEMALLOC_LIBRARY)
    target_link_libraries(gazette_allocator INTERFACE
      "-Wl,--push-state,--no-as-needed" ${JEMALLOC_LIBRARY} "-Wl,--pop-state")
  else()
    message(STATUS "jemalloc not found: gazette-searchd and gazette-indexer use glibc malloc")
  endif()
endif()

if(GAZETTE_BUILD_TESTS)
  find_package(GTest REQUIRED)
endif()
if(GAZETTE_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
