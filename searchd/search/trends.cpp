#include "searchd/search/trends.hpp"

#include "common/dates.hpp"
#include "common/schema.hpp"
#include "searchd/search/research_query.hpp"
#include "searchd/search/shard_set.hpp"

#include <xapian.h>

#include <fmt/format.h>

#include <chrono>

namespace gazette::searchd {
namespace {

/// Counts matching documents per bucket key, and per (topic, key) when splitting.
class TrendSpy : public Xapian::MatchSpy {
public:
    TrendSpy(TrendInterval interval, bool split) : interval_(interval), split_(split) {}

    void operator()(const Xapian::Document& doc, double) override {
        ++total_;
        const std::string date = doc.get_value(schema::kSlotDate);
        std::string key = date.empty() ? std::string() : trend_bucket_key(date, interval_);
        if (key.empty()) {
            ++undated_;
            return;
        }
        ++counts_[key];
        if (split_) {
            const std::string topics = doc.get_value(schema::kSlotTopics);
            std::size_t start = 0;
            while (start < topics.size()) {
                std::size_t end = topics.find(schema::kMultiSep, start);
                if (end == std::string::npos) {
                    end = topics.size();
                }
                if (end > start) {
                    ++series_[topics.substr(start, end - start)][key];
                }
                start = end + 1;
            }
        }
    }

    std::uint64_t total_ = 0;
    std::uint64_t undated_ = 0;
    std::map<std::string, std::uint64_t> counts_;
    std::map<std::string, std::map<std::string, std::uint64_t>> series_;

private:
    TrendInterval interval_;
    bool split_;
};

int to_int(std::string_view s) {
    int v = 0;
    for (const char c : s) {
        if (c < '0' || c > '9') {
            return -1;
        }
        v = v * 10 + (c - '0');
    }
    return v;
}

} // namespace

const char* trend_interval_name(TrendInterval interval) noexcept {
    switch (interval) {
    case TrendInterval::year:
        return "year";
    case TrendInterval::month:
        return "month";
    case TrendInterval::week:
        return "week";
    case TrendInterval::day:
        return "day";
    }
    return "month";
}

std::optional<TrendInterval> parse_trend_interval(std::string_view name) noexcept {
    for (const auto i : {TrendInterval::year, TrendInterval::month, TrendInterval::week, TrendInterval::day}) {
        if (name == trend_interval_name(i)) {
            return i;
        }
    }
    return std::nullopt;
}

std::string trend_bucket_key(std::string_view compact, TrendInterval interval) {
    if (compact.size() != 8) {
        return {};
    }
    const int y = to_int(compact.substr(0, 4));
    const int m = to_int(compact.substr(4, 2));
    const int d = to_int(compact.substr(6, 2));
    if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) {
        return {};
    }
    switch (interval) {
    case TrendInterval::year:
        return fmt::format("{:04}", y);
    case TrendInterval::month:
        return fmt::format("{:04}-{:02}", y, m);
    case TrendInterval::week:
        return dates::week_start(dates::Date{y, m, d}).iso();
    case TrendInterval::day:
        return fmt::format("{:04}-{:02}-{:02}", y, m, d);
    }
    return {};
}

std::vector<std::string> trend_key_range(const std::string& first, const std::string& last,
                                         TrendInterval interval) {
    std::vector<std::string> keys;
    if (first.empty() || last.empty() || last < first) {
        return keys;
    }
    switch (interval) {
    case TrendInterval::year:
        for (int y = to_int(first); y >= 0 && y <= to_int(last); ++y) {
            keys.push_back(fmt::format("{:04}", y));
        }
        break;
    case TrendInterval::month: {
        int y = to_int(first.substr(0, 4));
        int m = to_int(first.substr(5, 2));
        for (std::string k = first; k <= last;) {
            keys.push_back(k);
            if (++m > 12) {
                m = 1;
                ++y;
            }
            k = fmt::format("{:04}-{:02}", y, m);
        }
        break;
    }
    case TrendInterval::week:
    case TrendInterval::day: {
        const auto a = dates::parse(first);
        const auto b = dates::parse(last);
        if (!a || !b) {
            break;
        }
        const long step = interval == TrendInterval::week ? 7 : 1;
        for (long day = a->days_since_epoch(); day <= b->days_since_epoch(); day += step) {
            keys.push_back(dates::Date::from_days(day).iso());
        }
        break;
    }
    }
    return keys;
}

Result<TrendsResult> run_trends(Searcher& searcher, const TrendsRequest& request) {
    const auto t0 = std::chrono::steady_clock::now();
    TrendsResult out;
    out.interval = request.interval;
    auto done = searcher.with_generation(request.search.generation, [&](const GenerationAccess& g) -> Result<void> {
        auto plan = research_plan(g, request.search);
        if (!plan) {
            return plan.error();
        }
        TrendSpy spy(request.interval, request.split_topic);
        auto ran = map_query_errors(g.env.config->limits, [&]() -> Result<void> {
            Xapian::Enquire enquire(g.db);
            enquire.set_query(plan->filtered);
            enquire.set_weighting_scheme(Xapian::BoolWeight());
            (void)get_mset_with_spy(enquire, spy, g.db.get_doccount(), g.db);
            return {};
        });
        if (!ran) {
            return ran.error();
        }
        out.generation = g.name;
        out.parsed = plan->text.get_description();
        out.total = spy.total_;
        out.undated = spy.undated_;
        if (spy.counts_.empty()) {
            return {};
        }
        const auto keys =
            trend_key_range(spy.counts_.begin()->first, spy.counts_.rbegin()->first, request.interval);
        for (const auto& k : keys) {
            const auto it = spy.counts_.find(k);
            out.buckets.push_back(TrendBucket{k, it == spy.counts_.end() ? 0 : it->second});
        }
        for (const auto& [topic, counts] : spy.series_) {
            auto& series = out.series[topic];
            for (const auto& k : keys) {
                const auto it = counts.find(k);
                series.push_back(TrendBucket{k, it == counts.end() ? 0 : it->second});
            }
        }
        return {};
    });
    if (!done) {
        return done.error();
    }
    out.took_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    return out;
}

} // namespace gazette::searchd
