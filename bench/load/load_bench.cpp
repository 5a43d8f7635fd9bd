/// gazette_bench_load: QPS and latency of the real gazette-searchd over HTTP (keep-alive,
/// loopback) next to an in-process baseline on bare Xapian, same index, same queries, same
/// number of concurrent requests, run in this process and session.
///
/// Baselines (issue 2):
///   no snippets:   searchd `snippet=0`  vs  Enquire::get_mset(0, 10) + Document::get_data()
///   with snippets: searchd `snippet=200` vs  the same + MSet::snippet(body, 200, stemmer) with
///                  its default flags on the full body of each hit.
/// The bare side uses a QueryParser configured by gazette::Analyzer (so both sides run the
/// same Xapian query on the same database) and reads the live generation directly.
/// searchd runs with its result cache and rate limit off and without facets (`facets=`), so
/// each request does the work of one query.
///
/// Query sets (seeded): `two-word` pairs of nearby content words from corpus articles;
/// `collections` the queries.tsv of the shared data collections (punctuation stripped,
/// lower-cased so words like "and" are not operators).
///
/// Then a snippet quality check on real articles: for sampled (query, hit) pairs, whether the
/// snippet marks the query's terms when the body has them and starts/ends at word boundaries,
/// for searchd's snippets and for MSet::snippet.
///
/// Usage: gazette_bench_load --corpus FILE.jsonl [--data-dir DIR] [--seconds S] ...
/// Output: tables, then `RESULT load ...` lines for scripts.

#include "bench/load/http_client.hpp"
#include "bench/support/bench_util.hpp"
#include "bench/support/query_sampler.hpp"

#include "common/analyzer.hpp"
#include "common/config.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <simdjson.h>
#include <xapian.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>
#include <set>
#include <thread>
#include <unordered_set>

namespace gb = gazette::bench;
namespace fs = std::filesystem;

namespace {

using gazette::bench::two_word_queries;
using gazette::bench::words_of;

std::string json_string_field(simdjson::ondemand::parser& parser, const std::string& json,
                              std::string_view key) {
    simdjson::padded_string padded(json);
    auto doc = parser.iterate(padded);
    for (auto field : doc.get_object()) {
        if (field.unescaped_key().value() == key) {
            std::string_view v;
            if (field.value().get_string().get(v) == simdjson::SUCCESS) {
                return std::string(v);
            }
            return {};
        }
    }
    return {};
}


std::vector<std::string> collection_queries(const fs::path& shared_data, std::size_t count,
                                            std::mt19937_64& rng) {
    std::vector<std::string> all;
    if (!fs::exists(shared_data)) {
        return all;
    }
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(shared_data)) {
        if (fs::exists(e.path() / "queries.tsv")) {
            files.push_back(e.path() / "queries.tsv");
        }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
        for (const auto& line : gb::read_lines(f)) {
            const auto tab = line.find('\t');
            std::string q;
            for (const char ch : line.substr(tab == std::string::npos ? 0 : tab + 1)) {
                const auto c = static_cast<unsigned char>(ch);
                if (std::isalnum(c) != 0 || c >= 0x80) {
                    q.push_back(static_cast<char>(std::tolower(c)));
                } else if (!q.empty() && q.back() != ' ') {
                    q.push_back(' ');
                }
            }
            while (!q.empty() && q.back() == ' ') {
                q.pop_back();
            }
            if (!q.empty()) {
                all.push_back(std::move(q));
            }
        }
    }
    std::shuffle(all.begin(), all.end(), rng);
    if (all.size() > count) {
        all.resize(count);
    }
    return all;
}

struct RunResult {
    double qps = 0;
    gb::LatencySummary lat;
    std::size_t errors = 0;
    double self_cpu_ms_per_q = 0;   ///< CPU of this process (bare searches, or the HTTP clients)
    double server_cpu_ms_per_q = 0; ///< CPU of searchd (0 for the bare side)
};

/// Measurements of one side, accumulated over alternating rounds.
struct Accumulator {
    std::vector<double> latencies;
    std::size_t errors = 0;
    double elapsed_s = 0;
    double self_cpu_s = 0;
    double server_cpu_s = 0;

    RunResult finish() {
        RunResult r;
        r.errors = errors;
        const auto n = static_cast<double>(latencies.size());
        r.qps = n / elapsed_s;
        if (n > 0) {
            r.self_cpu_ms_per_q = self_cpu_s * 1e3 / n;
            r.server_cpu_ms_per_q = server_cpu_s * 1e3 / n;
        }
        r.lat = gb::summarise(latencies);
        return r;
    }
};

double self_cpu_s() {
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
           static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/// CPU seconds (user + system) used so far by process `pid`, from /proc/PID/stat.
double process_cpu_s(int pid) {
    if (pid <= 0) {
        return 0;
    }
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = stat.rfind(')');
    if (close == std::string::npos) {
        return 0;
    }
    std::istringstream rest(stat.substr(close + 2));
    std::string field;
    double utime = 0;
    double stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) { // fields 14 and 15: utime, stime
        if (i == 14) {
            utime = std::stod(field);
        } else if (i == 15) {
            stime = std::stod(field);
        }
    }
    return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

/// Runs `worker(query)` on `threads` threads for `seconds`, each thread walking the query list
/// from its own offset (continuing where the side's previous round stopped), and adds the
/// measurements to `acc`. `server_pid` > 0: its CPU time over the round is added too.
template <typename Worker>
void drive(std::size_t threads, double seconds, const std::vector<std::string>& queries,
           Worker make_worker, Accumulator& acc, int server_pid) {
    std::vector<std::vector<double>> lat(threads);
    std::vector<std::size_t> errors(threads, 0);
    std::atomic<std::size_t> ready{0};
    std::atomic<bool> go{false};
    gb::Clock::time_point deadline;
    const std::size_t base = acc.latencies.size();
    std::vector<std::thread> pool;
    for (std::size_t t = 0; t < threads; ++t) {
        pool.emplace_back([&, t] {
            auto run_one = make_worker(t);
            ready.fetch_add(1);
            while (!go.load(std::memory_order_acquire)) {
                std::this_thread::yield();
            }
            std::size_t i = base / threads + t * queries.size() / threads;
            while (gb::Clock::now() < deadline) {
                const auto& q = queries[i++ % queries.size()];
                const auto t0 = gb::Clock::now();
                if (!run_one(q)) {
                    ++errors[t];
                }
                lat[t].push_back(gb::seconds_since(t0));
            }
        });
    }
    // Every worker finishes its setup (database open, connect) before the clock starts.
    while (ready.load() < threads) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    const double cpu0 = self_cpu_s();
    const double server0 = process_cpu_s(server_pid);
    const auto t0 = gb::Clock::now();
    deadline = t0 + std::chrono::duration_cast<gb::Clock::duration>(std::chrono::duration<double>(seconds));
    go.store(true, std::memory_order_release);
    for (auto& th : pool) {
        th.join();
    }
    acc.elapsed_s += gb::seconds_since(t0);
    acc.self_cpu_s += self_cpu_s() - cpu0;
    acc.server_cpu_s += process_cpu_s(server_pid) - server0;
    for (std::size_t t = 0; t < threads; ++t) {
        acc.latencies.insert(acc.latencies.end(), lat[t].begin(), lat[t].end());
        acc.errors += errors[t];
    }
}

/// In-process bare Xapian search of one query; with `snippets`, MSet::snippet on each hit's body.
class BareSearcher {
public:
    BareSearcher(const gazette::Analyzer& analyzer, const std::string& db_path)
        : db_(db_path), qp_(analyzer.make_query_parser("en", db_)), flags_(analyzer.query_flags()),
          stem_(analyzer.stemmer("en")) {
        qp_.set_default_op(Xapian::Query::OP_OR);
    }

    Xapian::MSet search(const std::string& q) {
        Xapian::Enquire enquire(db_);
        enquire.set_query(qp_.parse_query(q, flags_));
        return enquire.get_mset(0, 10);
    }

    /// One measured request. Returns false when the query failed.
    bool run(const std::string& q, bool snippets) {
        try {
            Xapian::MSet mset = search(q);
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                const std::string data = it.get_document().get_data();
                sink_ += data.size();
                if (snippets) {
                    const std::string body = json_string_field(parser_, data, "body");
                    const std::string s = mset.snippet(body, 200, stem_,
                                                       Xapian::MSet::SNIPPET_BACKGROUND_MODEL |
                                                           Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                                       "<mark>", "</mark>", "...");
                    sink_ += s.size();
                }
            }
            return true;
        } catch (const Xapian::Error&) {
            return false;
        }
    }

    std::string body_of(const std::string& id) {
        Xapian::PostingIterator p = db_.postlist_begin("Q" + id);
        if (p == db_.postlist_end("Q" + id)) {
            return {};
        }
        return json_string_field(parser_, db_.get_document(*p).get_data(), "body");
    }

    const Xapian::Stem& stemmer() const { return stem_; }
    std::size_t sink() const { return sink_; }

private:
    Xapian::Database db_;
    Xapian::QueryParser qp_;
    unsigned flags_;
    Xapian::Stem stem_;
    simdjson::ondemand::parser parser_;
    std::size_t sink_ = 0;
};

std::string search_target(const std::string& q, bool snippets) {
    return "/search?q=" + gb::url_encode(q) + "&limit=10&facets=&snippet=" + (snippets ? "200" : "0");
}

// ---- snippet quality ---------------------------------------------------------------------

std::string unescape_html(std::string_view s) {
    std::string out;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '&') {
            static const std::pair<std::string_view, char> kEnt[] = {
                {"&amp;", '&'}, {"&lt;", '<'}, {"&gt;", '>'}, {"&quot;", '"'}, {"&#39;", '\''}, {"&#x27;", '\''}};
            bool done = false;
            for (const auto& [ent, ch] : kEnt) {
                if (s.substr(i, ent.size()) == ent) {
                    out.push_back(ch);
                    i += ent.size() - 1;
                    done = true;
                    break;
                }
            }
            if (done) {
                continue;
            }
        }
        out.push_back(s[i]);
    }
    return out;
}

std::string collapse_ws(std::string_view s) {
    std::string out;
    for (const char ch : s) {
        if (std::isspace(static_cast<unsigned char>(ch)) != 0) {
            if (!out.empty() && out.back() != ' ') {
                out.push_back(' ');
            }
        } else {
            out.push_back(ch);
        }
    }
    return out;
}

bool word_byte(char ch) {
    const auto c = static_cast<unsigned char>(ch);
    return std::isalnum(c) != 0 || c >= 0x80;
}

struct QualityCounts {
    std::size_t pairs = 0;
    std::size_t body_has_any = 0, snippet_has_any = 0;  // of pairs whose body has >= 1 term
    std::size_t body_has_all = 0, snippet_has_all = 0;  // of pairs whose body has every term
    std::size_t body_cluster = 0, snippet_cluster = 0;  // of pairs whose body has every term within 120 bytes
    std::size_t located = 0, start_ok = 0, end_ok = 0; // boundary checks (snippet found in body)
    std::vector<std::string> bad_examples;
};

/// Judges one snippet against the body it came from.
void judge(const std::string& snippet_html, const std::string& body, const std::vector<std::string>& qwords,
           const Xapian::Stem& stem, QualityCounts& c) {
    ++c.pairs;
    std::set<std::string> qstems;
    for (const auto& w : qwords) {
        qstems.insert(stem(w));
    }
    std::set<std::string> in_body;
    // Byte offsets of query-term words in the body, to find passages where all terms cluster.
    std::vector<std::pair<std::size_t, std::string>> hits;
    {
        std::size_t i = 0;
        while (i < body.size()) {
            while (i < body.size() && std::isalpha(static_cast<unsigned char>(body[i])) == 0) {
                ++i;
            }
            std::size_t j = i;
            std::string w;
            while (j < body.size() && std::isalpha(static_cast<unsigned char>(body[j])) != 0) {
                w.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(body[j]))));
                ++j;
            }
            if (!w.empty()) {
                const std::string st = stem(w);
                if (qstems.count(st) != 0) {
                    in_body.insert(st);
                    hits.emplace_back(i, st);
                }
            }
            i = j;
        }
    }
    bool clustered = false;
    for (std::size_t a = 0; a < hits.size() && !clustered; ++a) {
        std::set<std::string> window;
        for (std::size_t b = a; b < hits.size() && hits[b].first - hits[a].first <= 120; ++b) {
            window.insert(hits[b].second);
        }
        clustered = window.size() == qstems.size() && qstems.size() > 1;
    }
    std::set<std::string> marked;
    for (std::size_t p = snippet_html.find("<mark>"); p != std::string::npos;
         p = snippet_html.find("<mark>", p + 1)) {
        const auto e = snippet_html.find("</mark>", p);
        if (e == std::string::npos) {
            break;
        }
        for (const auto& w : words_of(unescape_html(snippet_html.substr(p + 6, e - p - 6)))) {
            if (!w.empty() && qstems.count(stem(w)) != 0) {
                marked.insert(stem(w));
            }
        }
    }
    if (!in_body.empty()) {
        ++c.body_has_any;
        if (!marked.empty()) {
            ++c.snippet_has_any;
        }
    }
    if (in_body.size() == qstems.size()) {
        ++c.body_has_all;
        if (marked.size() == qstems.size()) {
            ++c.snippet_has_all;
        }
    }
    if (clustered) {
        ++c.body_cluster;
        if (marked.size() == qstems.size()) {
            ++c.snippet_cluster;
        }
    }
    // Boundaries: the plain snippet text, without ellipses, must sit in the body with
    // non-word characters (or the text's ends) on both sides.
    std::string plain;
    for (std::size_t i = 0; i < snippet_html.size();) {
        if (snippet_html.compare(i, 6, "<mark>") == 0) {
            i += 6;
        } else if (snippet_html.compare(i, 7, "</mark>") == 0) {
            i += 7;
        } else {
            plain.push_back(snippet_html[i++]);
        }
    }
    plain = collapse_ws(unescape_html(plain));
    auto strip = [&](std::string_view mark) {
        bool changed = true;
        while (changed) {
            changed = false;
            while (!plain.empty() && plain.front() == ' ') { plain.erase(0, 1); changed = true; }
            while (!plain.empty() && plain.back() == ' ') { plain.pop_back(); changed = true; }
            if (plain.rfind(mark, 0) == 0) { plain.erase(0, mark.size()); changed = true; }
            if (plain.size() >= mark.size() && plain.compare(plain.size() - mark.size(), mark.size(), mark) == 0) {
                plain.erase(plain.size() - mark.size()); changed = true;
            }
        }
    };
    strip("...");
    strip("\xE2\x80\xA6"); // U+2026
    const std::string nbody = collapse_ws(body);
    const auto pos = plain.empty() ? std::string::npos : nbody.find(plain);
    if (pos == std::string::npos) {
        if (c.bad_examples.size() < 3) {
            c.bad_examples.push_back("not found in body: " + plain.substr(0, 80));
        }
        return;
    }
    ++c.located;
    const bool s_ok = pos == 0 || !word_byte(nbody[pos - 1]) || !word_byte(plain.front());
    const std::size_t end = pos + plain.size();
    const bool e_ok = end >= nbody.size() || !word_byte(nbody[end]) || !word_byte(plain.back());
    c.start_ok += s_ok ? 1 : 0;
    c.end_ok += e_ok ? 1 : 0;
    if ((!s_ok || !e_ok) && c.bad_examples.size() < 3) {
        c.bad_examples.push_back("cut inside a word: " + plain.substr(0, 40) + " ... " +
                                 plain.substr(plain.size() > 40 ? plain.size() - 40 : 0));
    }
}

void print_quality(const char* name, const QualityCounts& c) {
    std::printf("  %-22s pairs=%zu  has-a-term: %zu/%zu  has-every-term: %zu/%zu  "
                "has-every-term-where-they-cluster: %zu/%zu  located=%zu  "
                "start-at-word-boundary: %zu/%zu  end-at-word-boundary: %zu/%zu\n",
                name, c.pairs, c.snippet_has_any, c.body_has_any, c.snippet_has_all, c.body_has_all,
                c.body_cluster > 0 ? c.snippet_cluster : 0, c.body_cluster,
                c.located, c.start_ok, c.located, c.end_ok, c.located);
    for (const auto& ex : c.bad_examples) {
        std::printf("      e.g. %s\n", ex.c_str());
    }
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"searchd over HTTP vs in-process bare Xapian: QPS, latency, snippet quality"};
    std::string corpus;
    std::string data_dir;
    std::string work_dir;
    std::string indexer = GAZETTE_INDEXER_BIN;
    std::string searchd = GAZETTE_SEARCHD_BIN;
    std::string shared_data = GAZETTE_SHARED_DATA;
    std::string log_level = "info";
    std::vector<std::size_t> concurrency = {1, 2};
    std::vector<std::string> sets = {"two-word", "collections"};
    std::size_t searchd_threads = 0;
    std::size_t n_two_word = 200;
    std::size_t n_collection = 100;
    std::size_t quality_queries = 40;
    std::size_t sample_lines = 20000;
    std::size_t limit = 0;
    double seconds = 5;
    std::size_t rounds = 5;
    std::uint64_t seed = 42;
    bool smoke = false;
    std::string snippet_modes = "both";
    long parallel_min_docs = -1;
    long io_spin_us = -1;
    long coordination_max_words = -1;
    app.add_option("--corpus", corpus, "JSONL corpus the index was built from (query source)")->required();
    app.add_option("--data-dir", data_dir, "gazette data dir; indexed from --corpus when it has no live generation");
    app.add_option("--work-dir", work_dir, "fresh scratch folder (default: a temp dir, removed)");
    app.add_option("--indexer", indexer, "gazette-indexer binary");
    app.add_option("--searchd", searchd, "gazette-searchd binary (Release)");
    app.add_option("--shared-data", shared_data, "folder of collections with queries.tsv");
    app.add_option("--searchd-threads", searchd_threads, "searchd [searchd] threads (0 = nproc)");
    app.add_option("--concurrency", concurrency, "client connections / bare threads")->delimiter(',');
    app.add_option("--sets", sets, "query sets: two-word, collections")->delimiter(',');
    app.add_option("--queries", n_two_word, "number of two-word queries");
    app.add_option("--collection-queries", n_collection, "number of collection queries");
    app.add_option("--quality-queries", quality_queries, "two-word queries judged for snippet quality (x10 hits)");
    app.add_option("--sample-lines", sample_lines, "corpus lines read to draw two-word queries");
    app.add_option("--seconds", seconds, "duration of each measured run");
    app.add_option("--seed", seed, "query sampling seed");
    app.add_option("--rounds", rounds, "alternating bare/searchd rounds per measurement")->check(CLI::PositiveNumber);
    app.add_option("--log-level", log_level, "searchd log level (info logs every request)");
    app.add_option("--limit", limit, "use only the first N articles of --corpus");
    app.add_option("--parallel-min-docs", parallel_min_docs, "searchd [searchd] parallel_min_docs (default: searchd's)");
    app.add_option("--io-spin-us", io_spin_us, "searchd [searchd] io_spin_us (default: searchd's)");
    app.add_option("--coordination-max-words", coordination_max_words,
                   "searchd [searchd] coordination_max_words (default: searchd's; 0 = plain BM25 like the bare side)");
    app.add_option("--snippets", snippet_modes, "measure without snippets, with them, or both")
        ->check(CLI::IsMember({"no", "yes", "both"}));
    app.add_flag("--smoke", smoke, "exit 2 unless every run answered queries without errors (CTest)");
    CLI11_PARSE(app, argc, argv);

    try {
        if (searchd_threads == 0) {
            searchd_threads = std::max(1u, std::thread::hardware_concurrency());
        }
        gb::ScratchDir dir(work_dir.empty() ? fs::path{} : fs::path(work_dir));
        const fs::path data = data_dir.empty() ? dir.path() / "data" : fs::path(data_dir);
        const fs::path cfg = dir.path() / "gazette.toml";
        {
            std::ofstream c(cfg);
            c << "log_level = \"" << log_level << "\"\n"
              << "topics_file = \"" << GAZETTE_SOURCE_DIR << "/config/topics.toml\"\n"
              << "[searchd]\nthreads = " << searchd_threads << "\ncache_entries = 0\n"
              << (parallel_min_docs >= 0 ? "parallel_min_docs = " + std::to_string(parallel_min_docs) + "\n" : "")
              << (io_spin_us >= 0 ? "io_spin_us = " + std::to_string(io_spin_us) + "\n" : "")
              << (coordination_max_words >= 0
                      ? "coordination_max_words = " + std::to_string(coordination_max_words) + "\n"
                      : "")
              << "[rate_limit]\nenabled = false\n";
        }
        std::printf("machine: %s\n", gb::machine_summary().c_str());
        if (limit != 0) {
            const fs::path part = dir.path() / "corpus.jsonl";
            std::ofstream out(part);
            for (const auto& l : gb::read_lines(corpus, limit)) {
                out << l << '\n';
            }
            corpus = part.string();
        }
        if (!fs::exists(data / "live.stub")) {
            std::printf("indexing %s into %s ...\n", corpus.c_str(), data.c_str());
            std::fflush(stdout);
            const auto st = gb::run_process({indexer, "index", "--data-dir", data.string(), "--config",
                                             cfg.string(), corpus},
                                            dir.path() / "indexer.log");
            if (st.exit_code != 0) {
                throw std::runtime_error("gazette-indexer failed:\n" + gb::tail_file(dir.path() / "indexer.log", 10));
            }
            std::printf("indexed in %.1f s\n", st.wall_s);
        }
        const std::string live = (data / "live.stub").string();
        std::printf("index: %s, %u documents\n", data.c_str(), Xapian::Database(live).get_doccount());

        std::mt19937_64 rng(seed);
        std::vector<std::pair<std::string, std::vector<std::string>>> query_sets;
        const auto lines = gb::read_lines(corpus, sample_lines);
        for (const auto& s : sets) {
            if (s == "two-word") {
                query_sets.emplace_back(s, two_word_queries(lines, n_two_word, rng));
            } else if (s == "collections") {
                auto qs = collection_queries(shared_data, n_collection, rng);
                if (!qs.empty()) {
                    query_sets.emplace_back(s, std::move(qs));
                }
            } else {
                throw std::runtime_error("unknown query set " + s);
            }
        }
        for (const auto& [name, qs] : query_sets) {
            std::printf("query set %s: %zu queries, e.g. \"%s\"\n", name.c_str(), qs.size(),
                        qs.empty() ? "" : qs.front().c_str());
        }

        gb::ChildProcess server({searchd, "--data-dir", data.string(), "--listen", "127.0.0.1:0",
                                 "--threads", std::to_string(searchd_threads), "--ready-file",
                                 (dir.path() / "ready").string(), "--config", cfg.string()},
                                dir.path() / "searchd.log");
        int port = 0;
        for (int i = 0; i < 600 && port == 0; ++i) {
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
            if (fs::exists(dir.path() / "ready")) {
                port = std::atoi(gb::slurp(dir.path() / "ready").c_str());
            }
        }
        if (port == 0) {
            throw std::runtime_error("searchd did not become ready:\n" + gb::tail_file(dir.path() / "searchd.log", 10));
        }
        std::printf("searchd: port %d, %zu worker threads, cache off, rate limit off, log_level=%s\n",
                    port, searchd_threads, log_level.c_str());

        gazette::Analyzer analyzer{gazette::AnalysisConfig{}};
        // Warm-up: every query once on each side (page cache, searchd's per-thread handles).
        {
            BareSearcher bare(analyzer, live);
            gb::HttpClient client(port);
            for (const auto& [name, qs] : query_sets) {
                for (const auto& q : qs) {
                    bare.run(q, false);
                    const auto r = client.get(search_target(q, true));
                    if (r.status != 200) {
                        throw std::runtime_error("searchd answered " + std::to_string(r.status) +
                                                 " to '" + q + "': " + r.body.substr(0, 300));
                    }
                }
            }
        }

        std::printf("\n%-11s %-8s %-4s %-10s %9s %8s %8s %8s %8s %6s %10s %10s\n", "set", "snippets", "conc", "side",
                    "QPS", "p50 ms", "p95 ms", "p99 ms", "max ms", "errors", "cpu ms/q", "client cpu");
        struct Ratio {
            std::string set;
            bool snippets;
            std::size_t conc;
            RunResult bare, http;
        };
        std::vector<Ratio> ratios;
        for (const auto& [set_name, qs] : query_sets) {
            for (const bool snippets : {false, true}) {
                if (snippet_modes != "both" && snippets != (snippet_modes == "yes")) {
                    continue;
                }
                for (const std::size_t c : concurrency) {
                    Ratio r{set_name, snippets, c, {}, {}};
                    Accumulator bare_acc;
                    Accumulator http_acc;
                    // Alternate short rounds so that both sides see the same neighbours' load.
                    for (std::size_t round = 0; round < rounds; ++round) {
                        drive(c, seconds / static_cast<double>(rounds), qs, [&](std::size_t) {
                            auto s = std::make_shared<BareSearcher>(analyzer, live);
                            return [s, snippets](const std::string& q) { return s->run(q, snippets); };
                        }, bare_acc, 0);
                        drive(c, seconds / static_cast<double>(rounds), qs, [&](std::size_t) {
                            auto cl = std::make_shared<gb::HttpClient>(port);
                            return [cl, snippets](const std::string& q) {
                                try {
                                    return cl->get(search_target(q, snippets)).status == 200;
                                } catch (const std::exception&) {
                                    return false;
                                }
                            };
                        }, http_acc, server.pid());
                    }
                    r.bare = bare_acc.finish();
                    r.http = http_acc.finish();
                    for (const auto* side : {"bare", "searchd"}) {
                        const RunResult& x = std::string(side) == "bare" ? r.bare : r.http;
                        const bool is_bare = std::string(side) == "bare";
                        std::printf("%-11s %-8s %-4zu %-10s %9.1f %8.2f %8.2f %8.2f %8.2f %6zu %10.3f %10.3f\n", set_name.c_str(),
                                    snippets ? "yes" : "no", c,
                                    is_bare ? (snippets ? "bare+snip" : "bare") : "searchd",
                                    x.qps, x.lat.p50_ms, x.lat.p95_ms, x.lat.p99_ms, x.lat.max_ms, x.errors,
                                    is_bare ? x.self_cpu_ms_per_q : x.server_cpu_ms_per_q,
                                    is_bare ? 0.0 : x.self_cpu_ms_per_q);
                    }
                    std::fflush(stdout);
                    ratios.push_back(r);
                }
            }
        }

        std::printf("\nratios (searchd QPS / bare QPS, same run):\n");
        for (const auto& r : ratios) {
            const double ratio = r.http.qps / r.bare.qps;
            // CPU efficiency: bare CPU per query over searchd's CPU per query (client excluded).
            const double cpu_ratio = r.http.server_cpu_ms_per_q > 0 ? r.bare.self_cpu_ms_per_q / r.http.server_cpu_ms_per_q : 0;
            const double target = r.snippets ? 3.0 : 0.8;
            std::printf("  %-11s snippets=%-3s conc=%zu: QPS %.2fx (target >= %.1fx: %s); CPU per query %.2fx\n",
                        r.set.c_str(), r.snippets ? "yes" : "no", r.conc, ratio, target,
                        ratio >= target ? "met" : "MISSED", cpu_ratio);
            std::printf("RESULT load set=%s snippets=%d conc=%zu bare_qps=%.1f searchd_qps=%.1f ratio=%.3f cpu_ratio=%.3f "
                        "searchd_p50_ms=%.2f searchd_p99_ms=%.2f bare_p50_ms=%.2f bare_p99_ms=%.2f "
                        "bare_cpu_ms=%.3f searchd_cpu_ms=%.3f client_cpu_ms=%.3f errors=%zu\n",
                        r.set.c_str(), r.snippets ? 1 : 0, r.conc, r.bare.qps, r.http.qps, ratio, cpu_ratio,
                        r.http.lat.p50_ms, r.http.lat.p99_ms, r.bare.lat.p50_ms, r.bare.lat.p99_ms,
                        r.bare.self_cpu_ms_per_q, r.http.server_cpu_ms_per_q, r.http.self_cpu_ms_per_q,
                        r.http.errors + r.bare.errors);
        }

        // Snippet quality on real articles.
        bool sane_quality = false;
        {
            BareSearcher bare(analyzer, live);
            gb::HttpClient client(port);
            QualityCounts ours;
            QualityCounts xap;
            const auto& qs = query_sets.front().second;
            const std::size_t nq = std::min(quality_queries, qs.size());
            for (std::size_t i = 0; i < nq; ++i) {
                const std::string& q = qs[i];
                const std::vector<std::string> qwords = words_of(q);
                const auto resp = client.get(search_target(q, true));
                if (resp.status != 200) {
                    continue;
                }
                const Xapian::MSet mset = bare.search(q);
                const auto jv = boost::json::parse(resp.body);
                for (const auto& hit : jv.at("hits").as_array()) {
                    const std::string id(hit.at("id").as_string());
                    const std::string body = bare.body_of(id);
                    if (body.empty()) {
                        continue;
                    }
                    const auto* sn = hit.as_object().if_contains("snippet");
                    judge(sn != nullptr && sn->is_string() ? std::string(sn->as_string()) : std::string(), body,
                          qwords, bare.stemmer(), ours);
                    judge(mset.snippet(body, 200, bare.stemmer(),
                                       Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE,
                                       "<mark>", "</mark>", "..."),
                          body, qwords, bare.stemmer(), xap);
                }
            }
            std::printf("\nsnippet quality (%s queries, top-10 hits each, judged on the stored article body):\n",
                        query_sets.front().first.c_str());
            print_quality("searchd snippet=200", ours);
            print_quality("MSet::snippet default", xap);
            sane_quality = ours.pairs > 0 && ours.located > 0;
            std::printf("RESULT quality pairs=%zu any=%zu/%zu all=%zu/%zu cluster=%zu/%zu start=%zu/%zu end=%zu/%zu\n", ours.pairs,
                        ours.snippet_has_any, ours.body_has_any, ours.snippet_has_all, ours.body_has_all,
                        ours.snippet_cluster, ours.body_cluster,
                        ours.start_ok, ours.located, ours.end_ok, ours.located);
        }
        bool sane = true;
        for (const auto& r : ratios) {
            sane = sane && r.bare.qps > 0 && r.http.qps > 0 && r.bare.errors == 0 && r.http.errors == 0;
        }
        const auto st = server.terminate();
        std::printf("searchd peak RSS %.1f MB, cpu user %.1f s sys %.1f s\n",
                    static_cast<double>(st.max_rss_kb) / 1024.0, st.user_s, st.sys_s);
        if (smoke && !(sane && sane_quality)) {
            std::fprintf(stderr, "gazette_bench_load: smoke check failed (no answers, errors or no snippets)\n");
            return 2;
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gazette_bench_load: %s\n", e.what());
        return 1;
    }
    return 0;
}
