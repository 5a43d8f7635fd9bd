#pragma once
/// GET /trends: how many matching articles fall in each year, month, week or day.
///
/// Counts are exact: a MatchSpy reads the date slot (and, with split=topic, the topics slot)
/// of every matching document (checkatleast = doccount). Buckets between the first and the
/// last non-empty one are filled with 0 so that charts show gaps. Undated articles are
/// counted in `undated` only.

#include "common/error.hpp"
#include "searchd/search/types.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace gazette::searchd {

class Searcher;

enum class TrendInterval { year, month, week, day };

const char* trend_interval_name(TrendInterval interval) noexcept;
std::optional<TrendInterval> parse_trend_interval(std::string_view name) noexcept;

struct TrendsRequest {
    SearchRequest search; ///< q, op, filters and generation are used
    TrendInterval interval = TrendInterval::month;
    bool split_topic = false;
};

struct TrendBucket {
    std::string key; ///< "2022", "2022-03", "2022-03-07" (week: its Monday), "2022-03-10"
    std::uint64_t count = 0;
};

struct TrendsResult {
    TrendInterval interval = TrendInterval::month;
    std::vector<TrendBucket> buckets;
    /// split=topic: one series per topic, each over the same keys as `buckets`.
    std::map<std::string, std::vector<TrendBucket>> series;
    std::uint64_t total = 0;   ///< matching articles (dated or not)
    std::uint64_t undated = 0; ///< matching articles without a date
    std::string generation;
    std::string parsed;
    double took_ms = 0;
};

/// The bucket key of a compact date ("YYYYMMDD"); empty for a malformed date.
std::string trend_bucket_key(std::string_view compact_date, TrendInterval interval);
/// Every key from `first` to `last` inclusive (both from trend_bucket_key).
std::vector<std::string> trend_key_range(const std::string& first, const std::string& last,
                                         TrendInterval interval);

/// Runs on a worker. Errors: as Searcher::search.
[[nodiscard]] Result<TrendsResult> run_trends(Searcher& searcher, const TrendsRequest& request);

} // namespace gazette::searchd
