/// gazette_bench_freshness: from acknowledgement to searchable at a steady ingest rate.
///
/// Starts the real `gazette-indexer serve` on a fresh data directory (and, unless
/// --no-searchd, the real `gazette-searchd` on the same directory), then POSTs articles at a
/// steady open-loop rate (--rate articles/s in requests of --per-request articles, one request
/// every per_request/rate seconds) over one keep-alive connection. Articles are ~--words words
/// of real text: runs of consecutive paragraphs of the corpus (read at run time) under fresh
/// ids, so analysis, language detection and topic classification cost what they cost in
/// production.
///
/// For every acknowledged article (202) it measures the time from receiving the 202 to:
///  - *committed*: a checker thread holds a Xapian::Database on DATA/live.stub and, in a tight
///    loop (1 ms pause), calls reopen() and looks up each pending Q<id> term;
///  - *searchable*: a second checker asks searchd `GET /articles/{id}` for the oldest pending
///    article until it answers 200, then the next one (the writer commits in archive order,
///    so this is exact for in-order commits and conservative otherwise).
/// Also reported: ack latency (request sent -> 202), the sustained accepted rate, schedule
/// slip, CPU of each process, load average and the writer's commit figures from /metrics.
///
/// Usage: gazette_bench_freshness [--seconds 45] [--rate 100] [--per-request 10] ...
/// Smoke: gazette_bench_freshness --seconds 3 --rate 20 --smoke (exit 2 unless every
/// acknowledged article became searchable and nothing failed).
/// Output: a human report, then one `RESULT freshness ...` line for scripts.

#include "bench/freshness/http_connection.hpp"
#include "bench/support/bench_util.hpp"
#include "common/schema.hpp"

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <xapian.h>

#include <sys/resource.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <deque>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
namespace gb = gazette::bench;
using gb::Clock;

namespace {

constexpr const char* kAdminKey = "freshness-bench-admin-key-0123456789abcdef";

/// Paragraphs (of at least a few words) of each corpus document, and its title.
struct SourceText {
    std::vector<std::string> titles;
    std::vector<std::vector<std::string>> paragraphs;
};

std::size_t word_count(std::string_view s) {
    std::size_t n = 0;
    bool in_word = false;
    for (const char c : s) {
        const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
        n += (!space && !in_word) ? 1 : 0;
        in_word = !space;
    }
    return n;
}

SourceText load_source(const fs::path& corpus) {
    SourceText src;
    for (const auto& line : gb::read_lines(corpus)) {
        boost::system::error_code ec;
        const auto v = boost::json::parse(line, ec);
        if (ec || !v.is_object()) {
            continue;
        }
        const auto& o = v.as_object();
        const auto* body = o.if_contains("body");
        if (body == nullptr || !body->is_string()) {
            continue;
        }
        std::vector<std::string> paras;
        std::string_view text = body->get_string();
        while (!text.empty()) {
            const auto nl = text.find('\n');
            const auto para = text.substr(0, nl);
            if (word_count(para) >= 8) { // skips datelines, speaker lists and headings
                paras.emplace_back(para);
            }
            text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
        }
        if (paras.empty()) {
            continue;
        }
        const auto* title = o.if_contains("title");
        src.titles.emplace_back(title != nullptr && title->is_string() ? std::string(title->get_string()) : "");
        src.paragraphs.push_back(std::move(paras));
    }
    if (src.paragraphs.empty()) {
        throw std::runtime_error("no usable articles in " + corpus.string());
    }
    return src;
}

/// One NDJSON line: ~`words` words of runs of 1-4 consecutive paragraphs of random documents.
std::string make_article(const SourceText& src, const std::string& id, std::size_t words, std::mt19937_64& rng) {
    std::uniform_int_distribution<std::size_t> pick_doc(0, src.paragraphs.size() - 1);
    std::uniform_int_distribution<std::size_t> run_len(1, 4);
    std::string body;
    std::size_t have = 0;
    const std::size_t first = pick_doc(rng);
    std::size_t doc = first;
    while (have < words) {
        const auto& paras = src.paragraphs[doc];
        std::size_t p = std::uniform_int_distribution<std::size_t>(0, paras.size() - 1)(rng);
        for (std::size_t k = run_len(rng); k > 0 && p < paras.size() && have < words; --k, ++p) {
            if (!body.empty()) {
                body += "\n\n";
            }
            body += paras[p];
            have += word_count(paras[p]);
        }
        doc = pick_doc(rng);
    }
    boost::json::object o;
    o["id"] = id;
    o["title"] = src.titles[first];
    o["body"] = body;
    o["date"] = "2022-06-15";
    o["source"] = "Freshness Bench Wire";
    return boost::json::serialize(o) + "\n";
}

/// Per-article timeline; times are steady-clock points, unset when the event did not happen.
struct Entry {
    std::string id;
    Clock::time_point sent{}, acked{}, committed{}, searchable{};
    bool ack = false, in_db = false, in_searchd = false;
};

/// Shared between the sender and the two checkers.
class Tracker {
public:
    explicit Tracker(std::vector<Entry>& entries) : entries_(entries) {}

    void acknowledge(const std::vector<std::size_t>& idx, Clock::time_point at) {
        std::lock_guard lock(mutex_);
        for (const auto i : idx) {
            entries_[i].acked = at;
            entries_[i].ack = true;
            db_pending_.push_back(i);
            searchd_pending_.push_back(i);
        }
    }
    std::vector<std::size_t> db_pending() {
        std::lock_guard lock(mutex_);
        return db_pending_;
    }
    void committed(const std::vector<std::size_t>& idx, Clock::time_point at) {
        std::lock_guard lock(mutex_);
        for (const auto i : idx) {
            entries_[i].committed = at;
            entries_[i].in_db = true;
        }
        std::erase_if(db_pending_, [this](std::size_t i) { return entries_[i].in_db; });
    }
    std::optional<std::pair<std::size_t, std::string>> oldest_unsearchable() {
        std::lock_guard lock(mutex_);
        if (searchd_pending_.empty()) {
            return std::nullopt;
        }
        const auto i = searchd_pending_.front();
        return std::make_pair(i, entries_[i].id);
    }
    void searchable(std::size_t i, Clock::time_point at) {
        std::lock_guard lock(mutex_);
        entries_[i].searchable = at;
        entries_[i].in_searchd = true;
        searchd_pending_.pop_front();
    }
    std::pair<std::size_t, std::size_t> pending_counts() {
        std::lock_guard lock(mutex_);
        return {db_pending_.size(), searchd_pending_.size()};
    }

private:
    std::mutex mutex_;
    std::vector<Entry>& entries_;
    std::vector<std::size_t> db_pending_;
    std::deque<std::size_t> searchd_pending_;
};

/// Tight reopen()/lookup loop on the live generation, on its own thread.
void watch_database(const fs::path& stub, Tracker& tracker, const std::vector<Entry>& entries,
                    const std::atomic<bool>& stop, std::atomic<std::uint64_t>& reopens) {
    Xapian::Database db(stub.string());
    std::vector<std::size_t> seen;
    while (!stop.load()) {
        try {
            db.reopen();
            reopens.fetch_add(1);
            const auto now = Clock::now();
            seen.clear();
            for (const auto i : tracker.db_pending()) {
                if (db.term_exists(std::string(gazette::schema::kIdPrefix) + entries[i].id)) {
                    seen.push_back(i);
                }
            }
            if (!seen.empty()) {
                tracker.committed(seen, now);
            }
        } catch (const Xapian::DatabaseModifiedError&) {
            continue; // a commit landed mid-lookup: reopen and look again at once
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
}

/// Asks searchd for the oldest article not yet searchable, on its own thread.
void watch_searchd(int port, Tracker& tracker, const std::atomic<bool>& stop, std::atomic<std::uint64_t>& requests,
                   std::atomic<std::uint64_t>& errors) {
    gb::HttpConnection conn(port);
    while (!stop.load()) {
        const auto next = tracker.oldest_unsearchable();
        if (!next) {
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
            continue;
        }
        int status = 0;
        try {
            status = conn.request("GET", "/articles/" + gb::url_encode(next->second)).status;
        } catch (const std::exception&) {
            status = 0;
        }
        requests.fetch_add(1);
        const auto now = Clock::now();
        if (status == 200) {
            tracker.searchable(next->first, now);
            continue; // the next one may be in the same commit: ask at once
        }
        if (status != 404) {
            errors.fetch_add(1);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
}

struct Stats {
    std::size_t count = 0;
    double mean = 0, p50 = 0, p90 = 0, p99 = 0, max = 0;
};

/// Nearest-rank percentiles of values in milliseconds.
Stats stats_of(std::vector<double> ms) {
    Stats s;
    s.count = ms.size();
    if (ms.empty()) {
        return s;
    }
    std::sort(ms.begin(), ms.end());
    auto at = [&](double q) {
        const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ms.size())));
        return ms[std::min(ms.size(), std::max<std::size_t>(rank, 1)) - 1];
    };
    double sum = 0;
    for (const double v : ms) {
        sum += v;
    }
    s.mean = sum / static_cast<double>(ms.size());
    s.p50 = at(0.50);
    s.p90 = at(0.90);
    s.p99 = at(0.99);
    s.max = ms.back();
    return s;
}

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

void print_stats(const char* name, const Stats& s) {
    std::printf("  %-28s n=%-6zu p50=%7.1f  p90=%7.1f  p99=%7.1f  max=%7.1f  mean=%7.1f ms\n", name, s.count, s.p50,
                s.p90, s.p99, s.max, s.mean);
}

std::string loadavg() {
    std::ifstream in("/proc/loadavg");
    std::string a, b, c;
    in >> a >> b >> c;
    return a + " " + b + " " + c;
}

/// Value of an unlabelled sample in Prometheus text, or NaN.
double metric(const std::string& text, const std::string& name) {
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind(name + " ", 0) == 0) {
            return std::strtod(line.c_str() + name.size() + 1, nullptr);
        }
    }
    return std::nan("");
}

int wait_for_port(const fs::path& ready, const fs::path& log, const char* what) {
    for (int i = 0; i < 300; ++i) {
        if (fs::exists(ready)) {
            const int port = std::atoi(gb::slurp(ready).c_str());
            if (port > 0) {
                return port;
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error(std::string(what) + " did not become ready:\n" + gb::tail_file(log, 20));
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Freshness: acknowledgement -> searchable latency of gazette-indexer serve at a steady rate"};
    double seconds = 45;
    double rate = 100;
    std::size_t per_request = 10;
    std::size_t words = 600;
    std::size_t preload = 0;
    std::string corpus = GAZETTE_SHARED_DATA "/usgov-press-2021-2022/corpus.jsonl";
    std::string indexer = GAZETTE_INDEXER_BIN;
    std::string searchd = GAZETTE_SEARCHD_BIN;
    bool no_searchd = false;
    unsigned commit_interval_ms = 500;
    unsigned indexer_threads = 0;
    std::string work_dir;
    bool keep = false;
    std::uint64_t seed = 42;
    std::string log_level = "info";
    double target_p99_ms = 1000;
    double drain_s = 10;
    bool smoke = false;
    app.add_option("--seconds", seconds, "duration of the steady ingest")->check(CLI::PositiveNumber);
    app.add_option("--rate", rate, "articles per second")->check(CLI::PositiveNumber);
    app.add_option("--per-request", per_request, "articles per POST")->check(CLI::PositiveNumber);
    app.add_option("--words", words, "approximate words per article");
    app.add_option("--preload", preload, "articles ingested (in large POSTs, committed) before measuring");
    app.add_option("--corpus", corpus, "JSONL of real articles whose paragraphs make the bodies (read only)");
    app.add_option("--indexer", indexer, "gazette-indexer binary (Release)");
    app.add_option("--searchd", searchd, "gazette-searchd binary (Release)");
    app.add_flag("--no-searchd", no_searchd, "measure committed-to-Xapian only");
    app.add_option("--commit-interval-ms", commit_interval_ms, "[indexer] commit_interval_ms of the daemon");
    app.add_option("--indexer-threads", indexer_threads, "[indexer] threads (0 = one per core)");
    app.add_option("--work-dir", work_dir, "fresh scratch folder (default: a temp dir, removed)");
    app.add_flag("--keep", keep, "keep the scratch folder (data dir, logs)");
    app.add_option("--seed", seed, "article generation seed");
    app.add_option("--log-level", log_level, "log level of both daemons");
    app.add_option("--target-p99-ms", target_p99_ms, "the ack->searchable p99 goal reported as PASS/FAIL");
    app.add_option("--drain-seconds", drain_s, "how long to wait after the last POST for stragglers");
    app.add_flag("--smoke", smoke, "exit 2 unless every acknowledged article became searchable without errors");
    CLI11_PARSE(app, argc, argv);

    try {
        gb::ScratchDir dir{work_dir.empty() ? fs::path() : fs::path(work_dir)};
        if (keep) {
            dir.keep();
        }
        const fs::path data = dir.path() / "data";
        const fs::path cfg = dir.path() / "gazette.toml";
        {
            std::ofstream c(cfg);
            c << "data_dir = \"" << data.string() << "\"\n"
              << "log_level = \"" << log_level << "\"\n"
              << "topics_file = \"" << GAZETTE_SOURCE_DIR << "/config/topics.toml\"\n"
              << "[indexer]\ncommit_interval_ms = " << commit_interval_ms << "\nthreads = " << indexer_threads << "\n"
              << "[searchd]\nthreads = 2\ncache_entries = 0\n"
              << "[rate_limit]\nenabled = false\n"
              << "[[keys]]\nname = \"bench-admin\"\nkey = \"" << kAdminKey << "\"\nscopes = [\"admin\"]\n";
        }
        std::printf("machine: %s\n", gb::machine_summary().c_str());
        std::printf("load average before: %s\n", loadavg().c_str());

        // Articles are generated before the clock starts so generation never slips the schedule.
        const auto t_load = Clock::now();
        const SourceText src = load_source(corpus);
        const auto n_requests = static_cast<std::size_t>(std::llround(seconds * rate / static_cast<double>(per_request)));
        const std::size_t n_articles = n_requests * per_request;
        std::mt19937_64 rng(seed);
        const std::string tag = std::to_string(std::random_device{}() % 1000000);
        std::vector<Entry> entries(n_articles);
        std::vector<std::string> bodies(n_requests);
        std::size_t total_words = 0;
        for (std::size_t i = 0; i < n_articles; ++i) {
            entries[i].id = "fresh-" + tag + "-" + std::to_string(i);
            const std::string line = make_article(src, entries[i].id, words, rng);
            total_words += word_count(line);
            bodies[i / per_request] += line;
        }
        std::vector<std::string> preload_bodies;
        for (std::size_t i = 0; i < preload; i += 500) {
            std::string body;
            for (std::size_t j = i; j < std::min(preload, i + 500); ++j) {
                body += make_article(src, "pre-" + tag + "-" + std::to_string(j), words, rng);
            }
            preload_bodies.push_back(std::move(body));
        }
        std::printf("articles: %zu from %zu source documents (%s), ~%zu words each, %zu per POST, built in %.1f s\n",
                    n_articles, src.paragraphs.size(), corpus.c_str(), total_words / std::max<std::size_t>(1, n_articles),
                    per_request, gb::seconds_since(t_load));

        gb::ChildProcess serve({indexer, "serve", "--config", cfg.string(), "--admin-listen", "127.0.0.1:0",
                                "--ready-file", (dir.path() / "serve.ready").string()},
                               dir.path() / "serve.log");
        const int admin_port = wait_for_port(dir.path() / "serve.ready", dir.path() / "serve.log", "gazette-indexer serve");
        gb::HttpConnection admin(admin_port);
        for (int i = 0; admin.request("GET", "/readyz").status != 200; ++i) {
            if (i > 300) {
                throw std::runtime_error("serve never turned ready:\n" + gb::tail_file(dir.path() / "serve.log", 20));
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
        const std::string auth = std::string("Authorization: Bearer ") + kAdminKey +
                                 "\r\nContent-Type: application/x-ndjson\r\n";
        if (!preload_bodies.empty()) {
            const auto t0 = Clock::now();
            for (const auto& body : preload_bodies) {
                const auto r = admin.request("POST", "/articles", auth, body);
                if (r.status != 202) {
                    throw std::runtime_error("preload POST answered " + std::to_string(r.status) + ": " + r.body);
                }
            }
            // Wait for the writer to commit everything archived so far.
            for (;;) {
                const auto m = admin.request("GET", "/metrics").body;
                if (metric(m, "gazette_indexer_documents") >= static_cast<double>(preload)) {
                    break;
                }
                std::this_thread::sleep_for(std::chrono::milliseconds(100));
            }
            std::printf("preloaded %zu articles in %.1f s\n", preload, gb::seconds_since(t0));
        }

        std::unique_ptr<gb::ChildProcess> search;
        int search_port = 0;
        if (!no_searchd) {
            search = std::make_unique<gb::ChildProcess>(
                std::vector<std::string>{searchd, "--config", cfg.string(), "--data-dir", data.string(), "--listen",
                                         "127.0.0.1:0", "--ready-file", (dir.path() / "searchd.ready").string()},
                dir.path() / "searchd.log");
            search_port = wait_for_port(dir.path() / "searchd.ready", dir.path() / "searchd.log", "gazette-searchd");
        }
        std::printf("serve: admin port %d, commit_interval_ms=%u; searchd: %s\n", admin_port, commit_interval_ms,
                    no_searchd ? "off" : ("port " + std::to_string(search_port)).c_str());
        std::fflush(stdout);

        Tracker tracker(entries);
        std::atomic<bool> stop{false};
        std::atomic<std::uint64_t> reopens{0}, search_requests{0}, search_errors{0};
        std::thread db_thread([&] { watch_database(data / "live.stub", tracker, entries, stop, reopens); });
        std::thread search_thread;
        if (!no_searchd) {
            search_thread = std::thread([&] { watch_searchd(search_port, tracker, stop, search_requests, search_errors); });
        }

        rusage self0{};
        ::getrusage(RUSAGE_SELF, &self0);
        const auto interval = std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double>(static_cast<double>(per_request) / rate));
        std::size_t overloaded = 0, failed = 0, rejected = 0, late = 0;
        double max_slip_ms = 0;
        std::vector<double> ack_ms;
        const auto start = Clock::now();
        Clock::time_point last_ack = start;
        for (std::size_t k = 0; k < n_requests; ++k) {
            const auto target = start + interval * static_cast<long>(k);
            std::this_thread::sleep_until(target);
            const auto sent = Clock::now();
            const double slip = ms_between(target, sent);
            max_slip_ms = std::max(max_slip_ms, slip);
            late += slip > 10 ? 1 : 0;
            gb::HttpReply r;
            try {
                r = admin.request("POST", "/articles", auth, bodies[k]);
            } catch (const std::exception& e) {
                std::fprintf(stderr, "POST %zu failed: %s\n", k, e.what());
                ++failed;
                continue;
            }
            const auto acked = Clock::now();
            if (r.status == 503) {
                ++overloaded;
                continue;
            }
            if (r.status != 202) {
                std::fprintf(stderr, "POST %zu answered %d: %s\n", k, r.status, r.body.c_str());
                ++failed;
                continue;
            }
            last_ack = acked;
            ack_ms.push_back(ms_between(sent, acked));
            std::vector<bool> bad(per_request, false);
            const auto o = boost::json::parse(r.body).as_object();
            for (const auto& rej : o.at("rejected").as_array()) {
                const auto line = rej.at("line").to_number<std::size_t>();
                if (line >= 1 && line <= per_request) {
                    bad[line - 1] = true;
                    ++rejected;
                }
            }
            std::vector<std::size_t> idx;
            for (std::size_t j = 0; j < per_request; ++j) {
                const std::size_t i = k * per_request + j;
                entries[i].sent = sent;
                if (!bad[j]) {
                    idx.push_back(i);
                }
            }
            tracker.acknowledge(idx, acked);
        }
        const double send_s = std::chrono::duration<double>(last_ack - start).count();
        const auto drain_deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                                       std::chrono::duration<double>(drain_s));
        while (Clock::now() < drain_deadline) {
            const auto [db_left, search_left] = tracker.pending_counts();
            if (db_left == 0 && (no_searchd || search_left == 0)) {
                break;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        stop.store(true);
        db_thread.join();
        if (search_thread.joinable()) {
            search_thread.join();
        }
        rusage self1{};
        ::getrusage(RUSAGE_SELF, &self1);
        const auto tv = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
        const double bench_cpu = tv(self1.ru_utime) - tv(self0.ru_utime) + tv(self1.ru_stime) - tv(self0.ru_stime);
        const std::string load_after = loadavg();
        const std::string metrics_text = admin.request("GET", "/metrics").body;

        std::vector<double> to_commit, to_search, send_to_search;
        std::size_t acked_n = 0, missing_db = 0, missing_search = 0;
        Clock::time_point first_visible = Clock::time_point::max(), last_visible{};
        for (const auto& e : entries) {
            if (!e.ack) {
                continue;
            }
            ++acked_n;
            if (e.in_db) {
                to_commit.push_back(ms_between(e.acked, e.committed));
                first_visible = std::min(first_visible, e.committed);
                last_visible = std::max(last_visible, e.committed);
            } else {
                ++missing_db;
            }
            if (!no_searchd) {
                if (e.in_searchd) {
                    to_search.push_back(ms_between(e.acked, e.searchable));
                    send_to_search.push_back(ms_between(e.sent, e.searchable));
                } else {
                    ++missing_search;
                }
            }
        }
        const auto serve_cost = serve.terminate();
        gb::ProcessStats search_cost;
        if (search) {
            search_cost = search->terminate();
        }
        // First send to last ack, plus the last request's own slot: n requests span n intervals.
        const double wall = std::max(1e-9, send_s + std::chrono::duration<double>(interval).count());
        const double accepted_rate = static_cast<double>(acked_n) / wall;
        const double visible_span =
            to_commit.size() > 1 ? std::chrono::duration<double>(last_visible - first_visible).count() : 0;

        std::printf("\nsteady ingest: %zu requests of %zu articles, target %.0f articles/s for %.1f s\n", n_requests,
                    per_request, rate, seconds);
        std::printf("  acknowledged %zu articles (%zu rejected lines, %zu requests 503 overloaded, %zu failed)\n",
                    acked_n, rejected, overloaded, failed);
        std::printf("  sustained accepted rate %.1f articles/s over %.1f s; committed rate %.1f articles/s\n",
                    accepted_rate, wall, visible_span > 0 ? static_cast<double>(to_commit.size()) / visible_span : 0.0);
        std::printf("  schedule slip: max %.1f ms, %zu requests started >10 ms late\n", max_slip_ms, late);
        const Stats ack = stats_of(ack_ms);
        const Stats commit = stats_of(to_commit);
        const Stats searchable = stats_of(to_search);
        print_stats("ack (POST -> 202)", ack);
        print_stats("ack -> committed (Xapian)", commit);
        if (!no_searchd) {
            print_stats("ack -> searchable (searchd)", searchable);
            print_stats("POST -> searchable (searchd)", stats_of(send_to_search));
        }
        std::printf("  never seen: %zu in the database, %zu in searchd (after %.0f s of drain)\n", missing_db,
                    missing_search, drain_s);
        std::printf("  checkers: %llu database reopens, %llu searchd GETs (%llu errors)\n",
                    static_cast<unsigned long long>(reopens.load()),
                    static_cast<unsigned long long>(search_requests.load()),
                    static_cast<unsigned long long>(search_errors.load()));
        const double commits = metric(metrics_text, "gazette_indexer_commits_total");
        const double commit_sum = metric(metrics_text, "gazette_indexer_commit_duration_seconds_sum");
        std::printf("  writer: %.0f commits, mean commit %.1f ms; documents %.0f\n", commits,
                    commits > 0 ? 1000 * commit_sum / commits : 0.0, metric(metrics_text, "gazette_indexer_documents"));
        std::printf("  CPU: serve %.1f s (%.0f%% of a core over its life), searchd %.1f s, this bench %.1f s\n",
                    serve_cost.user_s + serve_cost.sys_s,
                    100 * (serve_cost.user_s + serve_cost.sys_s) / std::max(1e-9, serve_cost.wall_s),
                    search_cost.user_s + search_cost.sys_s, bench_cpu);
        std::printf("  serve peak RSS %.0f MB; load average after: %s\n", static_cast<double>(serve_cost.max_rss_kb) / 1024,
                    load_after.c_str());
        const Stats& headline = no_searchd ? commit : searchable;
        const bool pass = headline.count > 0 && headline.p99 < target_p99_ms && missing_db == 0 && missing_search == 0;
        std::printf("  goal: ack -> %s p99 %.1f ms < %.0f ms: %s\n", no_searchd ? "committed" : "searchable",
                    headline.p99, target_p99_ms, pass ? "PASS" : "FAIL");
        std::printf("RESULT freshness rate=%.1f accepted=%zu ack_p50_ms=%.1f ack_p99_ms=%.1f commit_p50_ms=%.1f "
                    "commit_p90_ms=%.1f commit_p99_ms=%.1f commit_max_ms=%.1f search_p50_ms=%.1f search_p90_ms=%.1f "
                    "search_p99_ms=%.1f search_max_ms=%.1f missing=%zu overloaded=%zu failed=%zu serve_exit=%d\n",
                    accepted_rate, acked_n, ack.p50, ack.p99, commit.p50, commit.p90, commit.p99, commit.max,
                    searchable.p50, searchable.p90, searchable.p99, searchable.max, missing_db + missing_search,
                    overloaded, failed, serve_cost.exit_code);
        if (smoke && (acked_n == 0 || missing_db + missing_search > 0 || failed > 0 || serve_cost.exit_code != 0 ||
                      search_errors.load() > 0)) {
            std::fprintf(stderr, "smoke check failed\n%s\n", gb::tail_file(dir.path() / "serve.log", 20).c_str());
            return 2;
        }
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gazette_bench_freshness: %s\n", e.what());
        return 1;
    }
}
