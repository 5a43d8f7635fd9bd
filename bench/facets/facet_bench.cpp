/// gazette_bench_facets: what exact facets cost. The same Searcher (in this process, on an
/// existing index, result cache off) answers each query three ways, interleaved query by query
/// (the side that goes first rotates) so that all three see the same machine load:
///   plain     facets none
///   facets    facets topic,source,year (the default), columns + posting-list match sets
///   matchspy  the same facets counted by the MatchSpy pass (match sets off): the previous path
/// and reports searchd's own took_ms and this thread's CPU time per query, and the ratios
/// facets/plain (the issue 3 target is <= 2x) and matchspy/plain.
///
/// Queries: two nearby content words from random articles of the corpus (seeded), run as
/// searchd runs `q=w1 w2` (OR, BM25, limit 10).
///
/// Usage: gazette_bench_facets --data-dir DIR --corpus FILE.jsonl [--queries 150] [--rounds 5]
///        [--snippet 0] [--from YYYY-MM-DD] [--to YYYY-MM-DD] [--config FILE]
/// Output: a table, then a `RESULT facets ...` line for scripts.

#include "bench/support/bench_util.hpp"
#include "bench/support/query_sampler.hpp"

#include "common/analyzer.hpp"
#include "common/config.hpp"
#include "common/data_dir.hpp"
#include "searchd/search/facet_columns.hpp"
#include "searchd/search/generation_watcher.hpp"
#include "searchd/search/searcher.hpp"

#include <CLI/CLI.hpp>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <random>
#include <set>
#include <thread>
#include <time.h>
#include <unordered_set>

namespace gb = gazette::bench;
namespace gs = gazette::searchd;

namespace {

using gazette::bench::two_word_queries;

double thread_cpu_s() {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

struct Side {
    const char* name;
    std::vector<gs::FacetField> facets;
    bool match_sets;
    std::vector<double> took_s; ///< searchd's took_ms, in seconds (for gb::summarise)
    std::vector<double> per_query_ms; ///< took_ms summed over rounds, by query
    double cpu_s = 0;
    std::uint64_t matches = 0;
};

} // namespace

int main(int argc, char** argv) {
    std::string data_dir;
    std::string corpus;
    std::string config_path;
    std::size_t n_queries = 150;
    std::size_t rounds = 5;
    std::size_t sample_lines = 20000;
    std::size_t snippet = 0;
    std::uint64_t seed = 42;
    std::string from;
    std::string to;
    CLI::App app{"exact facet cost: the same query with and without topic/source/year facets"};
    app.add_option("--data-dir", data_dir, "gazette data dir with a live generation (read only)")->required();
    app.add_option("--corpus", corpus, "JSONL corpus the index was built from (query source)")->required();
    app.add_option("--config", config_path, "gazette.toml (analysis settings); default config otherwise");
    app.add_option("--queries", n_queries, "number of two-word queries");
    app.add_option("--rounds", rounds, "timed passes over the queries (after one warm-up pass)");
    app.add_option("--sample-lines", sample_lines, "corpus lines read to draw queries");
    app.add_option("--snippet", snippet, "snippet characters per hit (0 = none)");
    app.add_option("--seed", seed, "query sampling seed");
    app.add_option("--from", from, "date filter on every query (YYYY-MM-DD), all three sides");
    app.add_option("--to", to, "date filter on every query (YYYY-MM-DD), all three sides");
    CLI11_PARSE(app, argc, argv);

    try {
        gazette::Config config;
        if (!config_path.empty()) {
            auto loaded = gazette::load_config(config_path);
            if (!loaded) {
                throw std::runtime_error(loaded.error().message);
            }
            config = std::move(*loaded);
        }
        config.data_dir = data_dir;
        const gazette::Analyzer analyzer(config.analysis);
        gs::GenerationWatcher watcher(gazette::DataDir(data_dir), std::chrono::milliseconds(100));
        watcher.poll_once();
        gs::FacetColumnsCache columns;
        gs::Searcher searcher(gs::SearchEnv{&config, &analyzer, &watcher, nullptr, nullptr, nullptr, &columns});

        std::mt19937_64 rng(seed);
        const auto lines = gb::read_lines(corpus, sample_lines);
        const auto queries = two_word_queries(lines, n_queries, rng);

        // The first faceted search asks for the columns; wait for the background build.
        gs::SearchRequest probe;
        probe.q = queries.at(0);
        const auto t_build = gb::Clock::now();
        while (columns.builds() == 0) {
            if (!searcher.search(probe)) {
                throw std::runtime_error("search failed (is there a live generation?)");
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        const double build_s = gb::seconds_since(t_build);

        std::vector<Side> sides = {
            {"plain", {}, true, {}, {}},
            {"facets", {gs::FacetField::topic, gs::FacetField::source, gs::FacetField::year}, true, {}, {}},
            {"matchspy", {gs::FacetField::topic, gs::FacetField::source, gs::FacetField::year}, false, {}, {}},
        };
        std::uint64_t docs = searcher.last_doc_count();
        for (std::size_t round = 0; round <= rounds; ++round) {
            const bool timed = round > 0;
            for (const auto& q : queries) {
                // Rotate which side runs first: the first to run a query warms the CPU caches
                // (posting-list blocks) for the next ones.
                const std::size_t first = (static_cast<std::size_t>(&q - queries.data()) + round) % sides.size();
                for (std::size_t k = 0; k < sides.size(); ++k) {
                    Side& side = sides[(first + k) % sides.size()];
                    gs::SearchRequest r;
                    r.q = q;
                    r.limit = 10;
                    r.snippet_chars = snippet;
                    r.facets = side.facets;
                    r.filters.from = from;
                    r.filters.to = to;
                    columns.set_match_sets(side.match_sets);
                    const double c0 = thread_cpu_s();
                    auto res = searcher.search(r);
                    const double c1 = thread_cpu_s();
                    if (!res) {
                        throw std::runtime_error("query '" + q + "': " + res.error().message);
                    }
                    if (timed) {
                        side.per_query_ms.resize(queries.size(), 0.0);
                        side.per_query_ms[static_cast<std::size_t>(&q - queries.data())] += res->took_ms;
                        side.took_s.push_back(res->took_ms / 1000.0);
                        side.cpu_s += c1 - c0;
                        side.matches += res->total.value;
                    }
                }
            }
        }
        docs = searcher.last_doc_count();

        std::printf("machine: %s\n", gb::machine_summary().c_str());
        std::printf("index: %s, %llu documents; %zu two-word queries x %zu rounds; snippet=%zu; date filter "
                    "[%s, %s]; facet columns built in %.2f s\n",
                    data_dir.c_str(), static_cast<unsigned long long>(docs), queries.size(), rounds, snippet,
                    from.c_str(), to.c_str(), build_s);
        std::printf("%-9s %10s %9s %9s %9s %12s %12s\n", "side", "mean ms", "p50 ms", "p95 ms", "p99 ms",
                    "cpu ms/q", "matches/q");
        std::vector<gb::LatencySummary> summaries;
        for (Side& side : sides) {
            const auto s = gb::summarise(side.took_s);
            summaries.push_back(s);
            const double n = static_cast<double>(s.count);
            std::printf("%-9s %10.3f %9.3f %9.3f %9.3f %12.3f %12.0f\n", side.name, s.mean_ms, s.p50_ms, s.p95_ms,
                        s.p99_ms, side.cpu_s * 1000.0 / n, static_cast<double>(side.matches) / n);
        }
        // Per query: facets / plain of its took_ms (summed over the rounds), then quantiles.
        auto per_query_ratio = [&](const Side& side, double quantile) {
            std::vector<double> r;
            for (std::size_t i = 0; i < queries.size(); ++i) {
                r.push_back(side.per_query_ms[i] / sides[0].per_query_ms[i]);
            }
            std::sort(r.begin(), r.end());
            return r[static_cast<std::size_t>(quantile * static_cast<double>(r.size() - 1))];
        };
        std::printf("per-query ratio facets/plain: p10 %.2f, p50 %.2f, p90 %.2f; matchspy/plain p50 %.2f\n",
                    per_query_ratio(sides[1], 0.1), per_query_ratio(sides[1], 0.5), per_query_ratio(sides[1], 0.9),
                    per_query_ratio(sides[2], 0.5));
        const double cpu_plain = sides[0].cpu_s;
        std::printf("RESULT facets docs=%llu queries=%zu plain_ms=%.3f facets_ms=%.3f ratio=%.2f p50_ratio=%.2f "
                    "cpu_ratio=%.2f matchspy_ms=%.3f matchspy_ratio=%.2f matchspy_cpu_ratio=%.2f\n",
                    static_cast<unsigned long long>(docs), queries.size(), summaries[0].mean_ms, summaries[1].mean_ms,
                    summaries[1].mean_ms / summaries[0].mean_ms, summaries[1].p50_ms / summaries[0].p50_ms,
                    sides[1].cpu_s / cpu_plain, summaries[2].mean_ms, summaries[2].mean_ms / summaries[0].mean_ms,
                    sides[2].cpu_s / cpu_plain);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gazette_bench_facets: %s\n", e.what());
        return 1;
    }
    return 0;
}
