// Reindex throughput against a bare single-writer Xapian loop (issue 5).
//
//   gazette_reindex_bench bare    N WORKDIR CORPUS.jsonl...
//   gazette_reindex_bench reindex N WORKDIR THREADS CORPUS.jsonl...
//   gazette_reindex_bench single  N WORKDIR CORPUS.jsonl...
//   gazette_reindex_bench profile N WORKDIR CORPUS.jsonl...
//   gazette_reindex_bench stem    N WORKDIR CORPUS.jsonl...
//
// The corpus is N articles taken from the given JSON Lines files in turn, repeated with id
// prefixes ("r1-f0-", "r2-f0-", ...; pass and file) until N is reached, so any N can be built
// from small samples and ids never collide across files.
// `bare`: one thread, one TermGenerator (English stemmer), title and body indexed, Q id term,
//   raw JSON as data, add_document into a default WritableDatabase, one commit at the end;
//   JSON parsing is timed, file reading is not. This is the "bare loop" baseline.
// `single`: Gazette's full analysis (language detection, schema, topics) through one
//   DocumentBuilder and one IndexWriter in one thread, committing every 1000 articles, as
//   `index --threads 1` does.
// `reindex`: archives the corpus (not timed), then times run_reindex with THREADS shards.
//   GAZETTE_RUN_DOCS / GAZETTE_RUN_MB override the shard run bounds (ShardedBuildOptions).
// `profile`: one thread, the reindex pipeline article by article with a clock around each
//   phase (archive decode, language detection, analysis, classification, document assembly,
//   add_document, run flush, final compact); prints CPU-free wall microseconds per article.
// `stem`: TermGenerator over title and body with a plain Snowball stemmer, then with the
//   CachingStemmer (common/caching_stemmer.hpp); CPU microseconds per article for each.
// Prints one JSON line with the figures; `bytes` is the size on disk of the database built
// (bare: as Xapian left it; reindex: the compacted generation).

#include "common/article.hpp"
#include "common/caching_stemmer.hpp"
#include "common/config.hpp"
#include "indexer/archive.hpp"
#include "indexer/jobs/reindex_job.hpp"
#include "indexer/writer.hpp"
#include "indexer/writer_context.hpp"

#include <xapian.h>

#include <boost/json.hpp>
#include <fmt/format.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <sys/resource.h>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;
using gazette::Article;

namespace {

/// N raw JSON lines with ids rewritten "r<pass>-<id>" (valid articles only).
std::vector<std::string> load_lines(std::size_t n, const std::vector<std::string>& files) {
    std::vector<std::pair<std::size_t, std::string>> raw; // file number, line
    for (std::size_t i = 0; i < files.size(); ++i) {
        std::ifstream in(files[i]);
        std::string line;
        while (std::getline(in, line)) {
            if (!line.empty()) {
                raw.emplace_back(i, line);
            }
        }
    }
    std::vector<std::string> out;
    out.reserve(n);
    for (std::size_t pass = 1; out.size() < n && !raw.empty(); ++pass) {
        for (const auto& [file, line] : raw) {
            if (out.size() >= n) {
                break;
            }
            boost::system::error_code ec;
            auto v = boost::json::parse(line, ec);
            if (ec || !v.is_object() || !v.get_object().contains("id")) {
                continue;
            }
            auto& o = v.get_object();
            const auto* id = o.if_contains("id");
            const std::string old_id =
                id->is_string() ? std::string(id->get_string()) : boost::json::serialize(*id);
            o["id"] = fmt::format("r{}-f{}-{}", pass, file, old_id);
            out.push_back(boost::json::serialize(v));
        }
    }
    return out;
}

/// User + system CPU seconds of the process so far (all threads): under a loaded machine the
/// wall clock says little, CPU time per article still compares the work done.
double cpu_seconds() {
    rusage ru{};
    ::getrusage(RUSAGE_SELF, &ru);
    auto s = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
    return s(ru.ru_utime) + s(ru.ru_stime);
}

double seconds_since(std::chrono::steady_clock::time_point t) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

/// Bytes of the regular files under `dir`.
std::uintmax_t dir_bytes(const fs::path& dir) {
    std::uintmax_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
        if (e.is_regular_file()) {
            n += e.file_size();
        }
    }
    return n;
}

std::size_t env_size(const char* name, std::size_t fallback) {
    const char* v = std::getenv(name);
    return v != nullptr && *v != '\0' ? std::stoul(v) : fallback;
}

std::string text_field(const boost::json::object& o, const char* key) {
    const auto* v = o.if_contains(key);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

int run_bare(const std::vector<std::string>& lines, const fs::path& dir) {
    const double cpu0 = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    Xapian::WritableDatabase db((dir / "bare").string(), Xapian::DB_CREATE_OR_OVERWRITE);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("en"));
    for (const auto& line : lines) {
        const auto v = boost::json::parse(line);
        const auto& o = v.get_object();
        Xapian::Document doc;
        tg.set_document(doc);
        const std::string title = text_field(o, "title");
        tg.index_text(title, 1, "S");
        tg.index_text(title);
        tg.increase_termpos();
        tg.index_text(text_field(o, "body"));
        std::string id_term = "Q"; // not "Q" + ...: GCC 12 -O3 raises a false -Wrestrict on that
        id_term += text_field(o, "id");
        doc.add_boolean_term(id_term);
        doc.set_data(line);
        db.add_document(doc);
    }
    db.commit();
    const double s = seconds_since(start);
    const double cpu = cpu_seconds() - cpu0;
    std::printf("{\"mode\":\"bare\",\"articles\":%zu,\"seconds\":%.2f,\"articles_per_s\":%.0f,\"cpu_s\":%.2f,"
                "\"bytes\":%ju}\n",
                lines.size(), s, static_cast<double>(lines.size()) / s, cpu, dir_bytes(dir / "bare"));
    return 0;
}

std::vector<Article> parse_articles(const std::vector<std::string>& lines) {
    std::vector<Article> out;
    out.reserve(lines.size());
    for (const auto& line : lines) {
        auto a = gazette::article_from_json(line);
        if (a && gazette::normalise_article(*a)) {
            out.push_back(std::move(*a));
        }
    }
    return out;
}

gazette::Config bench_config(const fs::path& dir, std::size_t threads) {
    gazette::Config config;
    config.data_dir = (dir / "data").string();
    config.topics_file = GAZETTE_TOPICS_FILE;
    config.indexer.threads = threads;
    return config;
}

int run_single(const std::vector<std::string>& lines, const fs::path& dir) {
    auto ctx = gazette::indexer::WriterContext::open(bench_config(dir, 1));
    if (!ctx) {
        std::fprintf(stderr, "%s\n", ctx.error().message.c_str());
        return 1;
    }
    const double cpu0 = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    auto articles = parse_articles(lines);
    gazette::indexer::IndexWriter writer(dir / "single", true);
    Xapian::TermGenerator tg = (*ctx)->analyzer().make_term_generator("en");
    std::size_t n = 0;
    for (auto& a : articles) {
        writer.upsert(a.id, (*ctx)->builder().build(a, tg));
        if (++n % 1000 == 0) {
            writer.commit();
        }
    }
    writer.commit();
    const double s = seconds_since(start);
    std::printf("{\"mode\":\"single\",\"articles\":%zu,\"seconds\":%.2f,\"articles_per_s\":%.0f,\"cpu_s\":%.2f}\n",
                articles.size(), s, static_cast<double>(articles.size()) / s, cpu_seconds() - cpu0);
    return 0;
}

/// Appends the corpus to the archive in batches of `batch` records (one batch when 0).
void archive_corpus(gazette::indexer::WriterContext& ctx, const std::vector<std::string>& lines, std::size_t batch) {
    auto articles = parse_articles(lines);
    std::vector<gazette::indexer::ArchiveRecord> records;
    for (auto& a : articles) {
        gazette::indexer::ArchiveRecord r;
        r.id = a.id;
        r.article = std::move(a);
        records.push_back(std::move(r));
        if (batch != 0 && records.size() == batch) {
            ctx.archive().append(records);
            records.clear();
        }
    }
    ctx.archive().append(records);
}

int run_reindex(const std::vector<std::string>& lines, const fs::path& dir, std::size_t threads) {
    auto ctx = gazette::indexer::WriterContext::open(bench_config(dir, threads));
    if (!ctx) {
        std::fprintf(stderr, "%s\n", ctx.error().message.c_str());
        return 1;
    }
    archive_corpus(**ctx, lines, 5000);
    gazette::indexer::Progress progress("reindex", 0, nullptr);
    const std::atomic<bool> cancel{false};
    const double cpu0 = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    gazette::indexer::ReindexJobOptions options;
    options.build.run_documents = env_size("GAZETTE_RUN_DOCS", options.build.run_documents);
    options.build.run_text_bytes = env_size("GAZETTE_RUN_MB", options.build.run_text_bytes >> 20) << 20;
    auto result = gazette::indexer::run_reindex(**ctx, options, progress, cancel);
    const double s = seconds_since(start);
    if (!result) {
        std::fprintf(stderr, "%s\n", result.error().message.c_str());
        return 1;
    }
    const double cpu = cpu_seconds() - cpu0;
    const auto bytes = dir_bytes((*ctx)->data_dir().generation_path(result->generation));
    std::printf("{\"mode\":\"reindex\",\"threads\":%zu,\"articles\":%zu,\"seconds\":%.2f,\"articles_per_s\":%.0f,"
                "\"build_s\":%.2f,\"merge_s\":%.2f,\"runs\":%zu,\"cpu_s\":%.2f,\"bytes\":%ju}\n",
                threads, result->documents, s, static_cast<double>(result->documents) / s, result->build_seconds,
                result->merge_seconds, result->runs, cpu, bytes);
    return 0;
}

/// Per-phase CPU time of the reindex pipeline in one thread (this thread's CPU clock, so other
/// processes on a busy machine do not inflate the figures).
int run_profile(const std::vector<std::string>& lines, const fs::path& dir) {
    auto ctx = gazette::indexer::WriterContext::open(bench_config(dir, 1));
    if (!ctx) {
        std::fprintf(stderr, "%s\n", ctx.error().message.c_str());
        return 1;
    }
    // Archive lines as the archive stores them, so the decode phase is the real one.
    std::vector<std::string> archived;
    {
        archive_corpus(**ctx, lines, 0);
        (*ctx)->archive().scan(0, [&](gazette::indexer::ArchiveRecord&& r) {
            archived.push_back(gazette::article_to_json(r.article));
        });
    }
    const auto& analyzer = (*ctx)->analyzer();
    const auto& builder = (*ctx)->builder();
    Xapian::TermGenerator tg = analyzer.make_term_generator("en");
    const std::size_t run_docs = env_size("GAZETTE_RUN_DOCS", gazette::indexer::ShardedBuildOptions{}.run_documents);
    enum Phase { decode, detect, analyse, classify, assemble, add, flush, compact, kPhases };
    const char* names[kPhases] = {"decode", "cld2", "analyse", "classify", "assemble", "add_document", "flush",
                                  "compact"};
    double t[kPhases] = {};
    auto thread_cpu = [] {
        timespec ts{};
        ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
    };
    auto lap = [&](double& since) {
        const double now = thread_cpu();
        const double d = now - since;
        since = now;
        return d;
    };
    const double cpu0 = cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    std::vector<std::string> runs;
    std::optional<Xapian::WritableDatabase> db;
    std::size_t in_run = 0;
    for (const auto& line : archived) {
        double now = thread_cpu();
        auto parsed = gazette::article_from_json(line);
        if (!parsed) {
            continue;
        }
        gazette::Article a = std::move(*parsed);
        a.lang.clear(); // as the corpora come: language unknown
        t[decode] += lap(now);
        a.lang = analyzer.detect_language(a.title, a.body);
        t[detect] += lap(now);
        Xapian::Document doc = analyzer.build_untopiced_document(a, tg);
        t[analyse] += lap(now);
        a.topics = builder.topics_for(doc, a);
        t[classify] += lap(now);
        analyzer.retopic_document(doc, a);
        t[assemble] += lap(now);
        if (!db) {
            runs.push_back((dir / fmt::format("run-{}", runs.size())).string());
            db.emplace(runs.back(), Xapian::DB_CREATE | Xapian::DB_NO_SYNC | Xapian::DB_DANGEROUS |
                                        Xapian::DB_BACKEND_GLASS);
            db->begin_transaction(false);
        }
        db->add_document(doc);
        t[add] += lap(now);
        if (++in_run >= run_docs) {
            db->commit_transaction();
            db->close();
            db.reset();
            in_run = 0;
            t[flush] += lap(now);
        }
    }
    double now = thread_cpu();
    if (db) {
        db->commit_transaction();
        db->close();
        db.reset();
    }
    t[flush] += lap(now);
    {
        Xapian::Database combined;
        for (const auto& r : runs) {
            combined.add_database(Xapian::Database(r));
        }
        combined.compact((dir / "merged").string(), Xapian::DBCOMPACT_MULTIPASS | Xapian::DB_BACKEND_GLASS);
    }
    t[compact] += lap(now);
    // The same runs merged in one pass (no DBCOMPACT_MULTIPASS), for comparison.
    {
        Xapian::Database combined;
        for (const auto& r : runs) {
            combined.add_database(Xapian::Database(r));
        }
        combined.compact((dir / "merged-1pass").string(), Xapian::DB_BACKEND_GLASS);
    }
    const double compact_1pass = lap(now);
    const double s = seconds_since(start);
    const double n = static_cast<double>(archived.size());
    std::string phases;
    for (int i = 0; i < kPhases; ++i) {
        phases += fmt::format("{}\"{}_us\":{:.1f}", i == 0 ? "" : ",", names[i], t[i] / n * 1e6);
    }
    std::printf("{\"mode\":\"profile\",\"articles\":%zu,\"seconds\":%.2f,\"cpu_s\":%.2f,\"runs\":%zu,%s,"
                "\"compact_1pass_us\":%.1f}\n",
                archived.size(), s, cpu_seconds() - cpu0, runs.size(), phases.c_str(), compact_1pass / n * 1e6);
    return 0;
}

/// TermGenerator cost with a plain and with a caching stemmer over the same articles.
int run_stem(const std::vector<std::string>& lines) {
    const auto articles = parse_articles(lines);
    auto pass = [&](const Xapian::Stem& stem) {
        Xapian::TermGenerator tg;
        tg.set_stemmer(stem);
        tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
        std::size_t terms = 0;
        const double cpu0 = cpu_seconds();
        for (const auto& a : articles) {
            Xapian::Document doc;
            tg.set_document(doc);
            tg.index_text(a.title);
            tg.index_text(a.body);
            terms += doc.termlist_count();
        }
        return std::pair(cpu_seconds() - cpu0, terms);
    };
    const auto [plain_s, plain_terms] = pass(Xapian::Stem("en"));
    const auto [cached_s, cached_terms] = pass(gazette::make_caching_stemmer(Xapian::Stem("en")));
    const double n = static_cast<double>(articles.size());
    std::printf("{\"mode\":\"stem\",\"articles\":%zu,\"plain_us\":%.1f,\"cached_us\":%.1f,\"same_terms\":%s}\n",
                articles.size(), plain_s / n * 1e6, cached_s / n * 1e6, plain_terms == cached_terms ? "true" : "false");
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 5) {
        std::fprintf(stderr, "usage: %s bare|single|profile|stem N WORKDIR CORPUS...\n       %s reindex N WORKDIR THREADS CORPUS...\n",
                     argv[0], argv[0]);
        return 2;
    }
    const std::string mode = argv[1];
    const std::size_t n = std::stoul(argv[2]);
    const fs::path dir = argv[3];
    fs::create_directories(dir);
    const int first_file = mode == "reindex" ? 5 : 4;
    const std::vector<std::string> files(argv + first_file, argv + argc);
    const auto lines = load_lines(n, files);
    if (mode == "bare") {
        return run_bare(lines, dir);
    }
    if (mode == "single") {
        return run_single(lines, dir);
    }
    if (mode == "stem") {
        return run_stem(lines);
    }
    if (mode == "profile") {
        return run_profile(lines, dir);
    }
    if (mode == "reindex") {
        return run_reindex(lines, dir, std::stoul(argv[4]));
    }
    std::fprintf(stderr, "unknown mode '%s'\n", mode.c_str());
    return 2;
}
