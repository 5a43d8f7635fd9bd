#pragma once
/// JSON bodies of searchd's responses (SPEC "GET /search" and "Other endpoints").

#include "searchd/search/types.hpp"

#include <string>
#include <vector>

namespace gazette::searchd::api {

std::string search_result_json(const SearchResult& result);
std::string stats_json(const StatsResult& stats, std::uint64_t queue_depth);
std::string topics_json(const std::vector<TopicCount>& topics, const std::string& generation);

} // namespace gazette::searchd::api
