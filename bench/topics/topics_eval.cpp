/// gazette_topics_eval: runs the topic classifier over a labelled collection
/// (shared/data/<name>/corpus.jsonl) and reports precision, recall and F1 per mapped class,
/// their macro average, the false-positive rate on unrelated documents and the time per
/// classification. The label-to-topic mappings are documented in bench/topics/README.md.
///
/// Usage: gazette_topics_eval CORPUS.jsonl [--dataset NAME] [--topics FILE] [--limit N]
///                            [--json OUT] [--errors N] [--split tune|heldout|all]

#include "common/analyzer.hpp"
#include "common/topics.hpp"
#include "datasets.hpp"


#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <iostream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

using gazette::topics_bench::ClassMap;
using gazette::topics_bench::DatasetMap;
using gazette::topics_bench::for_each_document;
using gazette::topics_bench::half_of;
using gazette::topics_bench::kGuarded;
using gazette::topics_bench::label_matches;
using gazette::topics_bench::mappings;

struct Counts {
    long tp = 0, fp = 0, fn = 0;
    double precision() const { return tp + fp > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fp) : 0.0; }
    double recall() const { return tp + fn > 0 ? static_cast<double>(tp) / static_cast<double>(tp + fn) : 0.0; }
    double f1() const {
        const double p = precision(), r = recall();
        return p + r > 0 ? 2 * p * r / (p + r) : 0.0;
    }
};

constexpr const char* kHalfName[] = {"tune", "heldout", "full"};

std::string json_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
        }
        out += c;
    }
    return out;
}

int usage() {
    std::cerr << "usage: gazette_topics_eval CORPUS.jsonl [--dataset NAME] [--topics FILE] [--limit N] "
                 "[--json OUT] [--errors N] [--split tune|heldout|all]\n";
    return 2;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        return usage();
    }
    std::string corpus = argv[1];
    std::string dataset = std::filesystem::path(corpus).parent_path().filename().string();
    std::string topics_file = std::string(GAZETTE_SOURCE_DIR) + "/config/topics.toml";
    std::string json_out;
    long limit = -1;
    long show_errors = 0;
    std::string split = "all"; // --split tune|heldout|all limits which documents --errors prints
    for (int i = 2; i < argc; ++i) {
        std::string a = argv[i];
        if (i + 1 >= argc) {
            return usage();
        }
        std::string v = argv[++i];
        if (a == "--dataset") {
            dataset = v;
        } else if (a == "--topics") {
            topics_file = v;
        } else if (a == "--limit") {
            limit = std::stol(v);
        } else if (a == "--json") {
            json_out = v;
        } else if (a == "--split") {
            split = v;
        } else if (a == "--errors") {
            show_errors = std::stol(v);
        } else {
            return usage();
        }
    }
    const auto maps = mappings();
    auto mit = std::find_if(maps.begin(), maps.end(), [&](const DatasetMap& m) { return m.name == dataset; });
    if (mit == maps.end()) {
        std::cerr << "no label mapping for dataset '" << dataset << "' (use --dataset)\n";
        return 2;
    }
    const DatasetMap& map = *mit;

    gazette::Analyzer analyzer{gazette::AnalysisConfig{}};
    auto taxonomy = gazette::Taxonomy::load_file(topics_file, analyzer);
    if (!taxonomy) {
        std::cerr << taxonomy.error().message << "\n";
        return 1;
    }
    gazette::TopicClassifier classifier(*taxonomy, analyzer);
    Xapian::TermGenerator tg = analyzer.make_term_generator("en");

    // counts[h][c]: h = 0 tuning half, 1 held-out half, 2 both.
    std::vector<std::vector<Counts>> counts(3, std::vector<Counts>(map.classes.size()));
    long unrelated_h[3] = {0, 0, 0}, unrelated_fp_h[3] = {0, 0, 0};
    std::map<std::string, long> assigned_total;
    std::map<std::string, long> unrelated_hits;
    long docs = 0, evaluated = 0, unrelated = 0;
    double classify_ns = 0.0;
    std::vector<long> errors_shown(map.classes.size(), 0);
    // Secondary view for single-label collections: only the best-scoring topic that belongs to
    // some class is the prediction (the gold has exactly one label; the product shows all topics).
    std::vector<std::vector<Counts>> primary(3, std::vector<Counts>(map.classes.size()));
    const bool readable = for_each_document(corpus, limit, [&](const gazette::Article& article,
                                                               const std::vector<std::string>& labels) {
        ++docs;
        if (labels.empty()) {
            return; // unlabelled: says nothing about precision or recall
        }
        ++evaluated;
        const int half = half_of(article.id);
        const Xapian::Document xdoc = analyzer.build_document(article, tg);
        const auto t0 = std::chrono::steady_clock::now();
        const auto topics = classifier.classify(xdoc, "en");
        classify_ns += static_cast<double>(
            std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0).count());
        std::set<std::string> got;
        for (const auto& t : topics) {
            got.insert(t.id);
            ++assigned_total[t.id];
        }
        for (std::size_t c = 0; c < map.classes.size(); ++c) {
            const ClassMap& cm = map.classes[c];
            const bool gold = std::any_of(labels.begin(), labels.end(),
                                          [&](const std::string& l) { return label_matches(l, cm.labels, map.label_prefix); });
            if (std::any_of(labels.begin(), labels.end(),
                            [&](const std::string& l) { return label_matches(l, cm.ignored, map.label_prefix); })) {
                continue; // see README: the label says nothing about this class
            }
            const bool pred = std::any_of(cm.topics.begin(), cm.topics.end(),
                                          [&](const std::string& t) { return got.count(t) > 0; });
            for (int h : {half, 2}) {
                counts[static_cast<std::size_t>(h)][c].tp += gold && pred;
                counts[static_cast<std::size_t>(h)][c].fp += !gold && pred;
                counts[static_cast<std::size_t>(h)][c].fn += gold && !pred;
            }
            const bool show = split == "all" || (split == "tune" && half == 0) || (split == "heldout" && half == 1);
            if (gold != pred && show && errors_shown[c] < show_errors) {
                ++errors_shown[c];
                std::cerr << (gold ? "FN " : "FP ") << cm.name << " [" << article.id << "] " << article.title << " |";
                for (const auto& t : topics) {
                    std::cerr << " " << t.id << "=" << t.score;
                }
                std::cerr << " | labels:";
                for (const auto& l : labels) {
                    std::cerr << " " << l;
                }
                std::cerr << "\n";
            }
        }
        if (map.single_label) {
            std::size_t best = map.classes.size();
            for (const auto& t : topics) { // best first
                for (std::size_t c = 0; c < map.classes.size() && best == map.classes.size(); ++c) {
                    const auto& ct = map.classes[c].topics;
                    if (std::find(ct.begin(), ct.end(), t.id) != ct.end()) {
                        best = c;
                    }
                }
                if (best != map.classes.size()) {
                    break;
                }
            }
            for (std::size_t c = 0; c < map.classes.size(); ++c) {
                const ClassMap& cm = map.classes[c];
                const bool gold = std::any_of(labels.begin(), labels.end(), [&](const std::string& l) {
                    return label_matches(l, cm.labels, map.label_prefix);
                });
                const bool ignored = std::any_of(labels.begin(), labels.end(), [&](const std::string& l) {
                    return label_matches(l, cm.ignored, map.label_prefix);
                });
                if (ignored) {
                    continue;
                }
                const bool pred = best == c;
                for (int h : {half, 2}) {
                    primary[static_cast<std::size_t>(h)][c].tp += gold && pred;
                    primary[static_cast<std::size_t>(h)][c].fp += !gold && pred;
                    primary[static_cast<std::size_t>(h)][c].fn += gold && !pred;
                }
            }
        }
        const bool is_unrelated = std::all_of(labels.begin(), labels.end(), [&](const std::string& l) {
            return label_matches(l, map.unrelated, map.label_prefix);
        });
        if (is_unrelated) {
            ++unrelated;
            bool hit = false;
            for (const auto& g : kGuarded) {
                if (got.count(g) > 0) {
                    ++unrelated_hits[g];
                    hit = true;
                }
            }
            for (int h : {half, 2}) {
                ++unrelated_h[static_cast<std::size_t>(h)];
                unrelated_fp_h[static_cast<std::size_t>(h)] += hit ? 1 : 0;
            }
        }
    });
    if (!readable) {
        std::cerr << "cannot read " << corpus << "\n";
        return 1;
    }

    std::printf("dataset %s: %ld docs, %ld labelled (evaluated), taxonomy %s\n", dataset.c_str(), docs,
                evaluated, topics_file.c_str());
    double macro[3] = {0.0, 0.0, 0.0};
    double fp_rate[3] = {0.0, 0.0, 0.0};
    for (std::size_t h = 0; h < 3; ++h) {
        std::printf("-- %s half%s\n", kHalfName[h], h == 1 ? " (headline)" : "");
        std::printf("%-12s %6s %6s %6s %7s %7s %7s\n", "class", "tp", "fp", "fn", "P", "R", "F1");
        for (std::size_t c = 0; c < map.classes.size(); ++c) {
            const Counts& k = counts[h][c];
            std::printf("%-12s %6ld %6ld %6ld %7.3f %7.3f %7.3f\n", map.classes[c].name.c_str(), k.tp, k.fp, k.fn,
                        k.precision(), k.recall(), k.f1());
            macro[h] += k.f1();
        }
        macro[h] /= static_cast<double>(std::max<std::size_t>(map.classes.size(), 1));
        fp_rate[h] = unrelated_h[h] > 0
                         ? static_cast<double>(unrelated_fp_h[h]) / static_cast<double>(unrelated_h[h])
                         : 0.0;
        std::printf("macro-F1 %s %.3f", kHalfName[h], macro[h]);
        if (unrelated_h[h] > 0) {
            std::printf("   unrelated FP %.2f%% of %ld", 100.0 * fp_rate[h], unrelated_h[h]);
        }
        std::printf("\n");
    }
    double primary_macro[3] = {0.0, 0.0, 0.0};
    if (map.single_label) {
        for (std::size_t h = 0; h < 3; ++h) {
            for (const Counts& k : primary[h]) {
                primary_macro[h] += k.f1();
            }
            primary_macro[h] /= static_cast<double>(std::max<std::size_t>(map.classes.size(), 1));
        }
        std::printf("primary-topic view (secondary; best-scoring mapped topic only): macro-F1 tune %.3f heldout %.3f "
                    "full %.3f\n",
                    primary_macro[0], primary_macro[1], primary_macro[2]);
        for (std::size_t c = 0; c < map.classes.size(); ++c) {
            const Counts& k = primary[1][c];
            std::printf("  heldout %-12s P %.3f R %.3f F1 %.3f\n", map.classes[c].name.c_str(), k.precision(),
                        k.recall(), k.f1());
        }
    }
    const double macro_f1 = macro[1];
    const double us_per_doc = evaluated > 0 ? classify_ns / static_cast<double>(evaluated) / 1000.0 : 0.0;
    if (unrelated > 0) {
        std::printf("unrelated docs %ld: %.2f%% got energy/military/sanctions/diplomacy (", unrelated,
                    100.0 * fp_rate[2]);
        for (const auto& g : kGuarded) {
            std::printf(" %s=%ld", g.c_str(), unrelated_hits[g]);
        }
        std::printf(" )\n");
    }
    std::printf("topics assigned:");
    for (const auto& [t, n] : assigned_total) {
        std::printf(" %s=%ld", t.c_str(), n);
    }
    std::printf("\nclassify time: %.1f us/doc (mean, %zu topics)\n", us_per_doc, taxonomy->topics().size());

    std::ostringstream js;
    js << "{\"dataset\":\"" << json_escape(dataset) << "\",\"docs\":" << docs << ",\"evaluated\":" << evaluated;
    for (std::size_t h = 0; h < 3; ++h) {
        js << ",\"" << kHalfName[h] << "\":{\"classes\":[";
        for (std::size_t c = 0; c < map.classes.size(); ++c) {
            const Counts& k = counts[h][c];
            js << (c ? "," : "") << "{\"class\":\"" << json_escape(map.classes[c].name) << "\",\"tp\":" << k.tp
               << ",\"fp\":" << k.fp << ",\"fn\":" << k.fn << ",\"precision\":" << k.precision()
               << ",\"recall\":" << k.recall() << ",\"f1\":" << k.f1() << "}";
        }
        js << "],\"macro_f1\":" << macro[h] << ",\"unrelated_docs\":" << unrelated_h[h]
           << ",\"unrelated_fp_rate\":" << fp_rate[h] << "}";
    }
    if (map.single_label) {
        js << ",\"primary_macro_f1\":{\"tune\":" << primary_macro[0] << ",\"heldout\":" << primary_macro[1]
           << ",\"full\":" << primary_macro[2] << "}";
    }
    js << ",\"macro_f1_heldout\":" << macro_f1 << ",\"classify_us_per_doc\":" << us_per_doc << "}";
    std::printf("%s\n", js.str().c_str());
    if (!json_out.empty()) {
        std::ofstream(json_out) << js.str() << "\n";
    }
    return 0;
}
