/// gazette_bench_micro: Google Benchmark micro benchmarks with fixed seeds and named inputs.
///
///   BM_BuildDocument      Analyzer::build_document per article (TermGenerator, stemming,
///                         stored data), the analysis cost of indexing one article
///   BM_Snippet/gazette    searchd's SnippetGenerator::generate(body, 200)
///   BM_Snippet/xapian_default   MSet::snippet(body, 200, stem) with default flags
///   BM_Snippet/xapian_flags0    MSet::snippet(body, 200, stem, 0)
///   BM_ParseArticle       JsonArticleReader on one JSONL line (simdjson + normalisation)
///
/// Input: the articles of GAZETTE_BENCH_CORPUS (a JSONL file, first 500 lines), else the
/// bundled sample archive (sample/usgov-press-clean.jsonl). Queries: two-word pairs drawn with
/// a fixed seed from those articles. The input name is printed in the context.

#include "common/analyzer.hpp"
#include "indexer/readers/jsonl_reader.hpp"
#include "searchd/search/snippet.hpp"

#include <benchmark/benchmark.h>
#include <simdjson.h>
#include <xapian.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

struct Inputs {
    std::string name;
    std::vector<std::string> lines;
    std::vector<gazette::Article> articles;
    std::vector<std::string> queries;
};

std::vector<std::string> words_of(const std::string& text) {
    std::vector<std::string> out;
    std::string cur;
    for (const char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalpha(c) != 0) {
            cur.push_back(static_cast<char>(std::tolower(c)));
        } else if (!cur.empty()) {
            out.push_back(std::move(cur));
            cur.clear();
        }
    }
    return out;
}

const Inputs& inputs() {
    static const Inputs in = [] {
        Inputs r;
        const char* env = std::getenv("GAZETTE_BENCH_CORPUS");
        const std::string path = env != nullptr ? env : GAZETTE_SOURCE_DIR "/sample/usgov-press-clean.jsonl";
        r.name = path.substr(path.find_last_of('/') + 1);
        std::ifstream f(path);
        std::string line;
        while (r.lines.size() < 500 && std::getline(f, line)) {
            if (!line.empty()) {
                r.lines.push_back(line);
            }
        }
        gazette::indexer::JsonArticleReader reader{gazette::indexer::ReaderOptions{}};
        for (const auto& l : r.lines) {
            reader.read_lines(l, "bench", [&](gazette::indexer::ParsedItem&& item) {
                if (item.article) {
                    item.article->lang = "en";
                    r.articles.push_back(std::move(*item.article));
                }
            });
        }
        std::mt19937_64 rng(42);
        while (r.queries.size() < 50 && !r.articles.empty()) {
            const auto w = words_of(r.articles[rng() % r.articles.size()].body);
            if (w.size() < 20) {
                continue;
            }
            const std::size_t i = rng() % (w.size() - 5);
            if (w[i].size() >= 5 && w[i + 2].size() >= 5) {
                r.queries.push_back(w[i] + " " + w[i + 2]);
            }
        }
        return r;
    }();
    return in;
}

const gazette::Analyzer& analyzer() {
    static const gazette::Analyzer a{gazette::AnalysisConfig{}};
    return a;
}

void BM_BuildDocument(benchmark::State& state) {
    const auto& in = inputs();
    auto tg = analyzer().make_term_generator("en");
    std::size_t i = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto& a = in.articles[i++ % in.articles.size()];
        Xapian::Document doc = analyzer().build_document(a, tg);
        benchmark::DoNotOptimize(doc);
        bytes += a.body.size() + a.title.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(in.name);
}
BENCHMARK(BM_BuildDocument)->Unit(benchmark::kMicrosecond);

void BM_ParseArticle(benchmark::State& state) {
    const auto& in = inputs();
    gazette::indexer::JsonArticleReader reader{gazette::indexer::ReaderOptions{}};
    std::size_t i = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        const auto& l = in.lines[i++ % in.lines.size()];
        reader.read_lines(l, "bench", [&](gazette::indexer::ParsedItem&& item) {
            benchmark::DoNotOptimize(item);
        });
        bytes += l.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(state.iterations());
    state.SetLabel(in.name);
}
BENCHMARK(BM_ParseArticle)->Unit(benchmark::kMicrosecond);

/// An in-memory index of the input articles, for MSet::snippet (which needs an MSet).
struct SnippetFixture {
    Xapian::WritableDatabase db{std::string(), Xapian::DB_BACKEND_INMEMORY};
    std::vector<Xapian::MSet> msets;
    std::vector<Xapian::Query> queries;
    std::vector<std::vector<std::string>> bodies; // bodies of each query's hits
    SnippetFixture() {
        const auto& in = inputs();
        auto tg = analyzer().make_term_generator("en");
        for (const auto& a : in.articles) {
            db.add_document(analyzer().build_document(a, tg));
        }
        db.commit();
        auto qp = analyzer().make_query_parser("en", db);
        simdjson::ondemand::parser parser;
        for (const auto& q : in.queries) {
            Xapian::Enquire enquire(db);
            const Xapian::Query query = qp.parse_query(q, analyzer().query_flags());
            enquire.set_query(query);
            Xapian::MSet mset = enquire.get_mset(0, 10);
            std::vector<std::string> b;
            for (auto it = mset.begin(); it != mset.end(); ++it) {
                b.push_back(in.articles[*it - 1].body);
            }
            if (!b.empty()) {
                msets.push_back(mset);
                queries.push_back(query);
                bodies.push_back(std::move(b));
            }
        }
    }
};

const SnippetFixture& snippet_fixture() {
    static const SnippetFixture f;
    return f;
}

/// Arg 0: gazette SnippetGenerator; 1: MSet::snippet default flags; 2: MSet::snippet flags 0.
void BM_Snippet(benchmark::State& state) {
    const auto& f = snippet_fixture();
    const Xapian::Stem stem = analyzer().stemmer("en");
    const auto kind = state.range(0);
    std::size_t qi = 0;
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::size_t q = qi++ % f.msets.size();
        // One results page: a snippet for each of the (up to) 10 hits.
        if (kind == 0) {
            const auto gen = gazette::searchd::SnippetGenerator::from_query(f.queries[q], {}, stem);
            for (const auto& body : f.bodies[q]) {
                benchmark::DoNotOptimize(gen.generate(body, 200));
                bytes += body.size();
            }
        } else {
            const unsigned flags = kind == 1 ? (Xapian::MSet::SNIPPET_BACKGROUND_MODEL | Xapian::MSet::SNIPPET_EXHAUSTIVE) : 0U;
            for (const auto& body : f.bodies[q]) {
                benchmark::DoNotOptimize(f.msets[q].snippet(body, 200, stem, flags, "<mark>", "</mark>", "..."));
                bytes += body.size();
            }
        }
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
    state.SetItemsProcessed(state.iterations()); // items = result pages
    state.SetLabel(kind == 0 ? "gazette" : kind == 1 ? "xapian_default" : "xapian_flags0");
}
BENCHMARK(BM_Snippet)->Arg(0)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

} // namespace

BENCHMARK_MAIN();
