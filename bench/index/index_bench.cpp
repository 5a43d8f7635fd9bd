/// gazette_bench_index: indexing throughput of `gazette-indexer index` next to a bare
/// single-writer Xapian loop on the same corpus, in the same session.
///
/// The bare loop is the baseline of issue 2: one thread reads the JSONL file, parses each line
/// with simdjson, runs a TermGenerator with the English Snowball stemmer over title and body,
/// stores the line as document data, and calls replace_document on the `Q<id>` term,
/// committing every --batch articles. Both sides run as child processes of this program (the
/// bare loop is this same binary with --bare-child) so wall time, CPU and peak RSS come from
/// wait4 for both, measured the same way.
///
/// Usage: gazette_bench_index --corpus FILE.jsonl [--limit N] [--threads N] [--work-dir DIR]
/// Output: a human table, then one `RESULT index ...` line for scripts.

#include "bench/support/bench_util.hpp"

#include <CLI/CLI.hpp>
#include <simdjson.h>
#include <xapian.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

namespace gb = gazette::bench;

namespace {

/// The bare single-writer loop. Returns the number of articles indexed.
std::size_t bare_index(const std::string& corpus, const std::string& db_path, std::size_t batch) {
    Xapian::WritableDatabase db(db_path, Xapian::DB_CREATE_OR_OPEN);
    Xapian::TermGenerator tg;
    tg.set_stemmer(Xapian::Stem("english"));
    tg.set_stemming_strategy(Xapian::TermGenerator::STEM_SOME);
    simdjson::ondemand::parser parser;
    std::ifstream in(corpus);
    if (!in) {
        throw std::runtime_error("cannot read " + corpus);
    }
    std::string line;
    std::size_t n = 0;
    while (std::getline(in, line)) {
        if (line.empty()) {
            continue;
        }
        simdjson::padded_string padded(line);
        auto obj = parser.iterate(padded);
        std::string id;
        std::string title;
        std::string body;
        for (auto field : obj.get_object()) {
            const std::string_view key = field.unescaped_key().value();
            if (key == "id") {
                id = std::string(field.value().get_string().value());
            } else if (key == "title") {
                title = std::string(field.value().get_string().value());
            } else if (key == "body") {
                body = std::string(field.value().get_string().value());
            }
        }
        Xapian::Document doc;
        tg.set_document(doc);
        tg.index_text(title);
        tg.increase_termpos();
        tg.index_text(body);
        doc.set_data(line);
        const std::string qterm = "Q" + id;
        doc.add_boolean_term(qterm);
        db.replace_document(qterm, doc);
        if (++n % batch == 0) {
            db.commit();
        }
    }
    db.commit();
    return n;
}

struct Row {
    std::string name;
    gb::ProcessStats stats;
};

void print_row(const Row& r, std::size_t articles, std::uintmax_t bytes) {
    const double aps = static_cast<double>(articles) / r.stats.wall_s;
    const double mbps = static_cast<double>(bytes) / 1e6 / r.stats.wall_s;
    // Articles per CPU-second is printed too: on a shared machine wall time depends on the
    // neighbours, CPU time much less (but it hides the benefit of using several cores).
    const double cpu = r.stats.user_s + r.stats.sys_s;
    std::printf("%-16s %9.2f s %9.0f art/s %7.2f MB/s %8.1f MB peak RSS | cpu %.1f s (user %.1f, sys %.1f) = %.0f art/cpu-s\n",
                r.name.c_str(), r.stats.wall_s, aps, mbps,
                static_cast<double>(r.stats.max_rss_kb) / 1024.0, cpu, r.stats.user_s, r.stats.sys_s,
                static_cast<double>(articles) / cpu);
}

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"Indexing throughput: gazette-indexer vs a bare single-writer Xapian loop"};
    std::string corpus;
    std::string work_dir;
    std::string indexer = GAZETTE_INDEXER_BIN;
    std::string bare_child_db;
    std::string only = "both";
    std::size_t limit = 0;
    std::size_t threads = 0;
    std::size_t batch = 1000;
    bool keep = false;
    app.add_option("--corpus", corpus, "JSONL corpus (bench/corpus/make_corpus.py)")->required();
    app.add_option("--work-dir", work_dir, "fresh scratch folder (default: a temp dir, removed)");
    app.add_option("--indexer", indexer, "gazette-indexer binary (Release)");
    app.add_option("--limit", limit, "use only the first N articles");
    app.add_option("--threads", threads, "[indexer] threads for gazette-indexer (0 = one per core)");
    app.add_option("--batch", batch, "articles per commit (both sides)");
    app.add_option("--only", only, "both, bare or gazette")->check(CLI::IsMember({"both", "bare", "gazette"}));
    app.add_flag("--keep", keep, "keep the work dir (indexes) afterwards");
    app.add_option("--bare-child", bare_child_db, "internal: run the bare loop into DB")->group("");
    CLI11_PARSE(app, argc, argv);

    try {
        if (!bare_child_db.empty()) {
            const std::size_t n = bare_index(corpus, bare_child_db, batch);
            std::printf("bare: %zu articles\n", n);
            return 0;
        }
        gb::ScratchDir dir(work_dir.empty() ? std::filesystem::path{} : std::filesystem::path(work_dir));
        if (keep) {
            dir.keep();
        }
        std::string input = corpus;
        if (limit != 0) {
            input = (dir.path() / "corpus.jsonl").string();
            std::ofstream out(input);
            for (const auto& l : gb::read_lines(corpus, limit)) {
                out << l << '\n';
            }
        }
        std::uintmax_t bytes = 0;
        const std::size_t articles = gb::count_lines(input, bytes);
        std::printf("machine: %s\n", gb::machine_summary().c_str());
        std::printf("corpus: %s: %zu articles, %.1f MB; commit every %zu; indexer threads=%zu\n",
                    input.c_str(), articles, static_cast<double>(bytes) / 1e6, batch, threads);
        std::fflush(stdout);

        // Warm the page cache for the corpus so neither side pays the first read.
        { std::uintmax_t b = 0; (void)gb::count_lines(input, b); }

        std::vector<Row> rows;
        if (only != "gazette") {
            const auto self = std::filesystem::read_symlink("/proc/self/exe").string();
            const auto db = dir.path() / "bare-db";
            Row r{"bare-xapian", gb::run_process({self, "--corpus", input, "--bare-child", db.string(),
                                                  "--batch", std::to_string(batch)},
                                                 dir.path() / "bare.log")};
            if (r.stats.exit_code != 0) {
                throw std::runtime_error("bare loop failed:\n" + gb::tail_file(dir.path() / "bare.log", 10));
            }
            rows.push_back(r);
            print_row(rows.back(), articles, bytes);
            std::fflush(stdout);
        }
        if (only != "bare") {
            const auto data = dir.path() / "gazette-data";
            const auto cfg = dir.path() / "gazette.toml";
            {
                std::ofstream c(cfg);
                c << "log_level = \"warn\"\n"
                  << "topics_file = \"" << GAZETTE_SOURCE_DIR << "/config/topics.toml\"\n"
                  << "[indexer]\nthreads = " << threads << "\nbatch_size = " << batch << "\n";
            }
            Row r{"gazette-indexer", gb::run_process({indexer, "index", "--data-dir", data.string(),
                                                      "--config", cfg.string(), input},
                                                     dir.path() / "gazette.log")};
            if (r.stats.exit_code != 0) {
                throw std::runtime_error("gazette-indexer failed (exit " + std::to_string(r.stats.exit_code) +
                                         "):\n" + gb::tail_file(dir.path() / "gazette.log", 10));
            }
            rows.push_back(r);
            print_row(rows.back(), articles, bytes);
            std::printf("gazette-indexer summary: %s", gb::tail_file(dir.path() / "gazette.log", 3).c_str());
        }
        std::printf("RESULT index articles=%zu mb=%.1f", articles, static_cast<double>(bytes) / 1e6);
        for (const auto& r : rows) {
            std::printf(" %s_aps=%.0f %s_rss_mb=%.0f", r.name == "bare-xapian" ? "bare" : "gazette",
                        static_cast<double>(articles) / r.stats.wall_s, r.name == "bare-xapian" ? "bare" : "gazette",
                        static_cast<double>(r.stats.max_rss_kb) / 1024.0);
        }
        if (rows.size() == 2) {
            const double ratio = rows[0].stats.wall_s / rows[1].stats.wall_s;
            const double cpu_ratio = (rows[0].stats.user_s + rows[0].stats.sys_s) /
                                     (rows[1].stats.user_s + rows[1].stats.sys_s);
            std::printf(" ratio=%.2f cpu_ratio=%.2f\n", ratio, cpu_ratio);
            std::printf("gazette-indexer / bare articles per CPU-second = %.2fx\n", cpu_ratio);
            std::printf("gazette-indexer / bare articles/s = %.2fx (target >= 1.00x: %s)\n", ratio,
                        ratio >= 1.0 ? "met" : "MISSED");
        } else {
            std::printf("\n");
        }
        if (keep) {
            std::printf("kept %s\n", dir.path().c_str());
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "gazette_bench_index: %s\n", e.what());
        return 1;
    }
    return 0;
}
