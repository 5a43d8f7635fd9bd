#include "common/topics.hpp"

#include "common/schema.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <unordered_set>

namespace gazette {
namespace {

// ---- Scoring constants ----------------------------------------------------------------------
// A rule contributes weight * tf * (k1 + 1) / (tf + K) with K = k1 * (1 - b + b * len / avg_len),
// the BM25 tf component. The saturation means repeating one word can never reach a topic's
// threshold on its own (at most weight * (k1 + 1)), so a topic needs several distinct pieces of
// evidence. The length normalisation lowers K for short briefs (one mention counts a lot) and
// raises it for long articles (passing mentions count little).
constexpr double kK1 = 1.2;
constexpr double kB = 0.75;
/// Document length is measured in distinct terms (Document::termlist_count(), which is O(1)
/// for fresh and stored documents alike). A ~300-word news story has about this many terms
/// (exact forms, Z-stems, title terms and filter terms together).
constexpr double kAvgTerms = 400.0;
/// Thresholds scale with (length / kAvgTerms)^kLengthExponent, clamped to
/// [kMinThresholdFactor, kMaxThresholdFactor]. The BM25 saturation alone still asks a
/// one-paragraph brief for as much summed evidence as a long article, but a brief simply has
/// room for fewer distinct topical words (a 40-word wire item names "troops" and "Baghdad",
/// not ten military terms), and a long post mentions many topics in passing. Tuned on the
/// tuning halves of the labelled collections (bench/topics/README.md).
constexpr double kLengthExponent = 0.2;
constexpr double kMinThresholdFactor = 0.6;
constexpr double kMaxThresholdFactor = 1.25;
/// In an item of average length or shorter, a topic is kept only if its score is at least
/// this fraction of the best topic's score: a brief has one subject, and passing mentions of
/// a second one (an oil company's quarterly results mention "oil" and "crude") otherwise add
/// a topic whose evidence is far weaker than the main subject's. The fraction decays with
/// (kAvgTerms / length)^2 for longer articles, which legitimately cover several subjects at
/// very different strengths (the Russia-China example: diplomacy 17, sanctions 3.8).
constexpr double kRelativeCutoff = 0.6;
/// Topic terms are removed from the length so that a stored (already tagged) document scores
/// exactly like the freshly built one.
constexpr std::string_view kTopicTermPrefix = schema::kTopicPrefix;

constexpr std::string_view kTopLevelKey = "topic";
constexpr std::string_view kTopicKeys[] = {"id", "label", "description", "rules", "threshold"};
constexpr std::string_view kRuleKeys[] = {"query", "weight"};

/// Operators a rule may use once parsed. Positional operators need leaf terms underneath.
enum class NodeOp : std::uint8_t { term, any, all, and_not, and_maybe, filter, phrase, near };

struct Node {
    NodeOp op = NodeOp::term;
    std::uint32_t term = 0;         ///< index into the model's term table (op == term)
    Xapian::termpos window = 0;     ///< phrase / near window
    std::vector<Node> kids;
};

struct CompiledRule {
    Node root;
    double weight = 1.0;
    std::uint32_t source_index = 0; ///< index in TopicDef::rules (skipped rules leave gaps)
};

struct CompiledTopic {
    std::string id;
    double threshold = 1.0;
    std::vector<CompiledRule> rules;
};

/// All rules of a taxonomy compiled for one language.
struct Model {
    std::vector<std::string> terms;      ///< sorted, unique
    std::vector<bool> positional;        ///< terms[i] is used inside a phrase / NEAR
    std::vector<CompiledTopic> topics;
};

std::string location_of(std::string_view origin, const toml::source_region& src) {
    std::string loc(origin);
    if (src.begin.line > 0) {
        loc += ':';
        loc += std::to_string(src.begin.line);
    }
    return loc;
}

Error config_error(std::string_view origin, const toml::node& node, std::string message) {
    std::string loc = location_of(origin, node.source());
    return Error(ErrorCode::bad_config, loc + ": " + message, loc);
}

Error config_error(std::string_view origin, const toml::source_region& src, std::string message) {
    std::string loc = location_of(origin, src);
    return Error(ErrorCode::bad_config, loc + ": " + message, loc);
}

template <std::size_t N>
bool is_known(std::string_view key, const std::string_view (&known)[N]) {
    return std::find(std::begin(known), std::end(known), key) != std::end(known);
}

bool is_valid_topic_id(std::string_view id) {
    if (id.empty() || id.size() > 64) {
        return false;
    }
    return std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
}

/// Reads the window of a PHRASE/NEAR node. Xapian 1.4 has no accessor for it, but the
/// description of a node whose children are all leaf terms contains exactly one
/// "PHRASE <n>" or "NEAR <n>".
Xapian::termpos window_of(const Xapian::Query& q, std::size_t nterms) {
    static const std::regex re("(?:PHRASE|NEAR) ([0-9]+)");
    const std::string desc = q.get_description();
    std::smatch m;
    if (std::regex_search(desc, m, re)) {
        return static_cast<Xapian::termpos>(std::stoul(m[1].str()));
    }
    return static_cast<Xapian::termpos>(nterms);
}

/// Collects every term a rule needs (pass 1).
void collect_terms(const Xapian::Query& q, std::set<std::string>& out) {
    for (auto t = q.get_terms_begin(); t != q.get_terms_end(); ++t) {
        out.insert(*t);
    }
}

/// Turns a parsed rule into a Node tree (pass 2). Returns an error message for operators the
/// classifier cannot evaluate on a single document.
Result<Node> compile_node(const Xapian::Query& q, const std::vector<std::string>& terms,
                          std::vector<bool>& positional, bool inside_positional) {
    auto bad = [](std::string msg) { return Error(ErrorCode::bad_config, std::move(msg)); };
    Node node;
    const auto type = q.get_type();
    switch (type) {
    case Xapian::Query::LEAF_TERM: {
        auto it = q.get_terms_begin();
        if (it == q.get_terms_end()) {
            return bad("empty term");
        }
        const std::string term = *it;
        auto pos = std::lower_bound(terms.begin(), terms.end(), term);
        // pass 1 collected every term, so the lookup cannot miss
        node.op = NodeOp::term;
        node.term = static_cast<std::uint32_t>(pos - terms.begin());
        if (inside_positional) {
            positional[node.term] = true;
        }
        return node;
    }
    case Xapian::Query::OP_OR:
    case Xapian::Query::OP_SYNONYM:
    case Xapian::Query::OP_MAX:
    case Xapian::Query::OP_ELITE_SET:
    case Xapian::Query::OP_XOR: // one document: XOR's "not both" adds nothing useful; treat as OR
        node.op = NodeOp::any;
        break;
    case Xapian::Query::OP_AND:
        node.op = NodeOp::all;
        break;
    case Xapian::Query::OP_AND_NOT:
        node.op = NodeOp::and_not;
        break;
    case Xapian::Query::OP_AND_MAYBE:
        node.op = NodeOp::and_maybe;
        break;
    case Xapian::Query::OP_FILTER:
        node.op = NodeOp::filter;
        break;
    case Xapian::Query::OP_SCALE_WEIGHT:
        // the rule's weight already scales it; pass the subquery through
        return compile_node(q.get_subquery(0), terms, positional, inside_positional);
    case Xapian::Query::OP_PHRASE:
    case Xapian::Query::OP_NEAR:
        node.op = type == Xapian::Query::OP_PHRASE ? NodeOp::phrase : NodeOp::near;
        node.window = window_of(q, q.get_num_subqueries());
        for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
            if (q.get_subquery(i).get_type() != Xapian::Query::LEAF_TERM) {
                return bad("phrases and NEAR may only contain plain words");
            }
        }
        break;
    case Xapian::Query::OP_INVALID:
        return bad("the query has no terms (only stop words?)");
    case Xapian::Query::OP_WILDCARD:
        return bad("wildcards are not supported in topic rules");
    default:
        return bad("operator not supported in topic rules (use words, phrases, NEAR, AND, OR, NOT)");
    }
    const bool positional_kids = node.op == NodeOp::phrase || node.op == NodeOp::near;
    for (std::size_t i = 0; i < q.get_num_subqueries(); ++i) {
        auto kid = compile_node(q.get_subquery(i), terms, positional, positional_kids);
        if (!kid) {
            return kid.error();
        }
        node.kids.push_back(std::move(*kid));
    }
    if (node.kids.empty()) {
        return bad("empty subquery");
    }
    return node;
}

/// Parses a rule's query text for `lang`. Throws Xapian::QueryParserError on bad syntax.
Xapian::Query parse_rule(Xapian::QueryParser& qp, const Analyzer& analyzer, const std::string& text) {
    return qp.parse_query(text, analyzer.query_flags());
}

/// Compiles a whole taxonomy for one language. Rules that fail (only possible when a
/// language's stop words swallow a rule that is fine in the default language) are skipped.
Model compile_model(const Taxonomy& taxonomy, const Analyzer& analyzer, std::string_view lang) {
    Xapian::QueryParser qp = analyzer.make_query_parser(lang, Xapian::Database());
    std::vector<std::vector<Xapian::Query>> parsed(taxonomy.topics().size());
    std::set<std::string> term_set;
    for (std::size_t t = 0; t < taxonomy.topics().size(); ++t) {
        for (const auto& rule : taxonomy.topics()[t].rules) {
            Xapian::Query q;
            try {
                q = parse_rule(qp, analyzer, rule.query);
            } catch (const Xapian::QueryParserError&) {
                q = Xapian::Query(); // validated in the default language; skipped here
            }
            collect_terms(q, term_set);
            parsed[t].push_back(std::move(q));
        }
    }
    Model model;
    model.terms.assign(term_set.begin(), term_set.end());
    model.positional.assign(model.terms.size(), false);
    for (std::size_t t = 0; t < taxonomy.topics().size(); ++t) {
        const TopicDef& def = taxonomy.topics()[t];
        CompiledTopic topic{def.id, def.threshold, {}};
        for (std::size_t r = 0; r < def.rules.size(); ++r) {
            auto node = compile_node(parsed[t][r], model.terms, model.positional, false);
            if (node) {
                topic.rules.push_back(
                    CompiledRule{std::move(*node), def.rules[r].weight, static_cast<std::uint32_t>(r)});
            }
        }
        model.topics.push_back(std::move(topic));
    }
    return model;
}

/// Per-call scratch: term frequencies and (for positional terms) positions of one document.
struct DocTerms {
    std::vector<Xapian::termcount> wdf;
    std::vector<std::vector<Xapian::termpos>> positions;
    double length = 0.0;
};

DocTerms read_doc_terms(const Model& model, const Xapian::Document& doc) {
    DocTerms d;
    d.wdf.assign(model.terms.size(), 0);
    d.positions.resize(model.terms.size());
    Xapian::termcount topic_terms = 0;
    // Walk the document's terms and look each one up in the model's sorted table: a learned
    // taxonomy has thousands of rule terms and a news brief only dozens of terms, so this is
    // O(doc terms x log(model terms)) where skipping through the document once per model term
    // cost O(model terms) per document.
    auto from = model.terms.begin();
    for (auto it = doc.termlist_begin(); it != doc.termlist_end(); ++it) {
        const std::string term = *it;
        const bool topic_term = term.compare(0, kTopicTermPrefix.size(), kTopicTermPrefix) == 0;
        topic_terms += topic_term ? 1 : 0;
        from = std::lower_bound(from, model.terms.end(), term);
        if (from == model.terms.end()) {
            if (!topic_term && term > kTopicTermPrefix) {
                break; // nothing left to match, and the (contiguous) topic terms are behind us
            }
            continue;
        }
        if (*from != term) {
            continue;
        }
        const auto i = static_cast<std::size_t>(from - model.terms.begin());
        // Boolean (filter) terms have wdf 0 but are present: count them once.
        d.wdf[i] = std::max<Xapian::termcount>(it.get_wdf(), 1);
        if (model.positional[i]) {
            for (auto p = it.positionlist_begin(); p != it.positionlist_end(); ++p) {
                d.positions[i].push_back(*p);
            }
        }
    }
    const Xapian::termcount total = doc.termlist_count();
    d.length = static_cast<double>(total > topic_terms ? total - topic_terms : 0);
    return d;
}

/// Number of places where all of `kids` occur within `window` positions (in order for a
/// phrase). Anchored on the first term's positions; each anchor counts at most once.
double positional_count(const Node& node, const DocTerms& d) {
    for (const Node& k : node.kids) {
        if (d.positions[k.term].empty()) {
            return 0.0;
        }
    }
    const auto& first = d.positions[node.kids.front().term];
    const Xapian::termpos span = node.window > 0 ? node.window - 1 : 0;
    double count = 0.0;
    for (Xapian::termpos anchor : first) {
        bool ok = true;
        Xapian::termpos prev = anchor;
        for (std::size_t i = 1; i < node.kids.size() && ok; ++i) {
            const auto& pos = d.positions[node.kids[i].term];
            if (node.op == NodeOp::phrase) {
                // the earliest occurrence after the previous term keeps the most room
                auto p = std::upper_bound(pos.begin(), pos.end(), prev);
                ok = p != pos.end() && *p <= anchor + span;
                if (ok) {
                    prev = *p;
                }
            } else {
                const Xapian::termpos lo = anchor > span ? anchor - span : 0;
                auto p = std::lower_bound(pos.begin(), pos.end(), lo);
                ok = p != pos.end() && *p <= anchor + span;
            }
        }
        if (ok) {
            count += 1.0;
        }
    }
    return count;
}

/// Evidence count of a node: how many times (wdf-weighted) its condition holds.
double evaluate(const Node& node, const DocTerms& d) {
    switch (node.op) {
    case NodeOp::term:
        return static_cast<double>(d.wdf[node.term]);
    case NodeOp::any: {
        double sum = 0.0;
        for (const Node& k : node.kids) {
            sum += evaluate(k, d);
        }
        return sum;
    }
    case NodeOp::all: {
        double least = 0.0;
        bool first = true;
        for (const Node& k : node.kids) {
            const double v = evaluate(k, d);
            if (v <= 0.0) {
                return 0.0;
            }
            least = first ? v : std::min(least, v);
            first = false;
        }
        return least;
    }
    case NodeOp::and_not: {
        const double v = evaluate(node.kids[0], d);
        for (std::size_t i = 1; i < node.kids.size() && v > 0.0; ++i) {
            if (evaluate(node.kids[i], d) > 0.0) {
                return 0.0;
            }
        }
        return v;
    }
    case NodeOp::and_maybe: {
        double v = evaluate(node.kids[0], d);
        if (v > 0.0) {
            for (std::size_t i = 1; i < node.kids.size(); ++i) {
                v += evaluate(node.kids[i], d);
            }
        }
        return v;
    }
    case NodeOp::filter: {
        const double v = evaluate(node.kids[0], d);
        for (std::size_t i = 1; i < node.kids.size() && v > 0.0; ++i) {
            if (evaluate(node.kids[i], d) <= 0.0) {
                return 0.0;
            }
        }
        return v;
    }
    case NodeOp::phrase:
    case NodeOp::near:
        return positional_count(node, d);
    }
    return 0.0;
}

double round3(double v) { return std::round(v * 1000.0) / 1000.0; }

} // namespace

// ---- Taxonomy -------------------------------------------------------------------------------

const TopicDef* Taxonomy::find(std::string_view id) const noexcept {
    for (const auto& t : topics_) {
        if (t.id == id) {
            return &t;
        }
    }
    return nullptr;
}

Result<Taxonomy> Taxonomy::load_file(const std::string& path, const Analyzer& analyzer) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        return Error(ErrorCode::bad_config, "cannot read topics file " + path, path);
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    return parse(ss.str(), analyzer, path);
}

Result<Taxonomy> Taxonomy::parse(std::string_view toml_text, const Analyzer& analyzer,
                                 std::string_view origin) {
    toml::table root;
    try {
        root = toml::parse(toml_text, origin);
    } catch (const toml::parse_error& e) {
        return config_error(origin, e.source(), std::string("TOML syntax: ") + std::string(e.description()));
    }
    for (const auto& [key, node] : root) {
        if (key.str() != kTopLevelKey) {
            return config_error(origin, node, "unknown key '" + std::string(key.str()) +
                                                  "' (expected [[topic]] tables)");
        }
    }
    const toml::array* topics = root[kTopLevelKey].as_array();
    if (topics == nullptr) {
        return config_error(origin, toml::source_region{}, "no [[topic]] tables");
    }

    Xapian::QueryParser qp =
        analyzer.make_query_parser(analyzer.config().default_language, Xapian::Database());
    Taxonomy taxonomy;
    std::unordered_set<std::string> seen;
    std::size_t index = 0;
    for (const toml::node& tnode : *topics) {
        ++index;
        const toml::table* tt = tnode.as_table();
        const std::string ordinal = "topic #" + std::to_string(index);
        if (tt == nullptr) {
            return config_error(origin, tnode, ordinal + ": expected a table");
        }
        TopicDef def;
        const auto* id = (*tt)["id"].as_string();
        if (id == nullptr) {
            return config_error(origin, tnode, ordinal + ": missing string key 'id'");
        }
        def.id = id->get();
        if (!is_valid_topic_id(def.id)) {
            return config_error(origin, *id, ordinal + ": id '" + def.id +
                                                 "' must be 1-64 characters of a-z, 0-9, '-' or '_'");
        }
        const std::string name = "topic '" + def.id + "'";
        if (!seen.insert(def.id).second) {
            return config_error(origin, *id, name + ": duplicate id");
        }
        for (const auto& [key, node] : *tt) {
            if (!is_known(key.str(), kTopicKeys)) {
                return config_error(origin, node, name + ": unknown key '" + std::string(key.str()) + "'");
            }
        }
        if (const toml::node* n = tt->get("label")) {
            if (!n->is_string()) {
                return config_error(origin, *n, name + ": 'label' must be a string");
            }
            def.label = n->as_string()->get();
        } else {
            def.label = def.id;
        }
        if (const toml::node* n = tt->get("description")) {
            if (!n->is_string()) {
                return config_error(origin, *n, name + ": 'description' must be a string");
            }
            def.description = n->as_string()->get();
        }
        if (const toml::node* n = tt->get("threshold")) {
            const auto v = n->value<double>();
            if (!n->is_number() || !v || !std::isfinite(*v) || *v <= 0.0) {
                return config_error(origin, *n, name + ": 'threshold' must be a number > 0");
            }
            def.threshold = *v;
        }
        const toml::array* rules = (*tt)["rules"].as_array();
        if (rules == nullptr || rules->empty()) {
            return config_error(origin, tnode, name + ": 'rules' must be a non-empty array of {query, weight}");
        }
        std::size_t rindex = 0;
        for (const toml::node& rnode : *rules) {
            ++rindex;
            const std::string rname = name + " rule #" + std::to_string(rindex);
            const toml::table* rt = rnode.as_table();
            if (rt == nullptr) {
                return config_error(origin, rnode, rname + ": expected a table {query = \"...\", weight = 1.0}");
            }
            for (const auto& [key, node] : *rt) {
                if (!is_known(key.str(), kRuleKeys)) {
                    return config_error(origin, node, rname + ": unknown key '" + std::string(key.str()) + "'");
                }
            }
            TopicRule rule;
            const auto* query = (*rt)["query"].as_string();
            if (query == nullptr || query->get().empty()) {
                return config_error(origin, rnode, rname + ": missing string key 'query'");
            }
            rule.query = query->get();
            const std::string qname = rname + " (" + rule.query + ")";
            if (const toml::node* n = rt->get("weight")) {
                const auto v = n->value<double>();
                if (!n->is_number() || !v || !std::isfinite(*v)) {
                    return config_error(origin, *n, qname + ": 'weight' must be a number");
                }
                rule.weight = *v;
            }
            Xapian::Query parsed;
            try {
                parsed = parse_rule(qp, analyzer, rule.query);
            } catch (const Xapian::QueryParserError& e) {
                return config_error(origin, rnode, qname + ": bad query syntax: " + e.get_msg());
            }
            std::set<std::string> term_set;
            collect_terms(parsed, term_set);
            std::vector<std::string> terms(term_set.begin(), term_set.end());
            std::vector<bool> positional(terms.size(), false);
            auto node = compile_node(parsed, terms, positional, false);
            if (!node) {
                return config_error(origin, rnode, qname + ": " + node.error().message);
            }
            def.rules.push_back(std::move(rule));
        }
        taxonomy.topics_.push_back(std::move(def));
    }
    return taxonomy;
}

// ---- TopicClassifier ------------------------------------------------------------------------

struct TopicClassifier::Impl {
    std::map<std::string, Model, std::less<>> models;
    std::string default_language;

    const Model& model_for(std::string_view lang) const {
        auto it = models.find(lang);
        if (it == models.end()) {
            it = models.find(default_language);
        }
        return it->second;
    }
};

TopicClassifier::TopicClassifier(const Taxonomy& taxonomy, const Analyzer& analyzer)
    : impl_(std::make_unique<Impl>()) {
    // Compile once per configured language so that classify() needs no lock or cache.
    impl_->default_language = analyzer.config().default_language;
    std::vector<std::string> langs = analyzer.config().languages;
    langs.push_back(impl_->default_language);
    for (const auto& lang : langs) {
        if (impl_->models.find(lang) == impl_->models.end()) {
            impl_->models.emplace(lang, compile_model(taxonomy, analyzer, lang));
        }
    }
}

TopicClassifier::~TopicClassifier() = default;
TopicClassifier::TopicClassifier(TopicClassifier&&) noexcept = default;
TopicClassifier& TopicClassifier::operator=(TopicClassifier&&) noexcept = default;

namespace {

/// The saturated weight of `tf` matches for a BM25 `k` (see kK1).
double saturate(double tf, double k) { return tf * (kK1 + 1.0) / (tf + k); }

double bm25_k(double length) { return kK1 * (1.0 - kB + kB * length / kAvgTerms); }

/// select_topics() over any topic representation (`id_of(i)`, `threshold_of(i)`).
template <typename IdOf, typename ThresholdOf>
std::vector<TopicScore> select_impl(std::size_t n, IdOf id_of, ThresholdOf threshold_of,
                                    const std::vector<double>& scores, double length) {
    const double factor = topic_threshold_factor(length);
    std::vector<TopicScore> out;
    for (std::size_t i = 0; i < n; ++i) {
        if (scores[i] >= threshold_of(i) * factor) {
            out.push_back(TopicScore{std::string(id_of(i)), round3(scores[i]), false});
        }
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const TopicScore& a, const TopicScore& b) { return a.score > b.score; });
    if (!out.empty()) {
        // 1 for briefs and average stories, falling fast for long articles (see kRelativeCutoff)
        const double shorter = std::min(1.0, kAvgTerms / std::max(length, 1.0));
        const double cut = out.front().score * kRelativeCutoff * shorter * shorter;
        out.erase(std::remove_if(out.begin(), out.end(), [cut](const TopicScore& t) { return t.score < cut; }),
                  out.end());
    }
    return out;
}

} // namespace

double topic_threshold_factor(double length) {
    return std::clamp(std::pow(std::max(length, 1.0) / kAvgTerms, kLengthExponent), kMinThresholdFactor,
                      kMaxThresholdFactor);
}

std::vector<TopicScore> select_topics(const std::vector<std::string>& ids, const std::vector<double>& thresholds,
                                      const std::vector<double>& scores, double length) {
    return select_impl(
        ids.size(), [&](std::size_t i) -> std::string_view { return ids[i]; },
        [&](std::size_t i) { return thresholds[i]; }, scores, length);
}

std::vector<TopicScore> TopicClassifier::classify(const Xapian::Document& doc,
                                                  std::string_view lang) const {
    const Model& model = impl_->model_for(lang);
    const DocTerms d = read_doc_terms(model, doc);
    const double k = bm25_k(d.length);
    std::vector<double> scores(model.topics.size(), 0.0);
    for (std::size_t t = 0; t < model.topics.size(); ++t) {
        for (const CompiledRule& rule : model.topics[t].rules) {
            const double tf = evaluate(rule.root, d);
            if (tf > 0.0) {
                scores[t] += rule.weight * saturate(tf, k);
            }
        }
    }
    return select_impl(
        model.topics.size(), [&](std::size_t i) -> std::string_view { return model.topics[i].id; },
        [&](std::size_t i) { return model.topics[i].threshold; }, scores, d.length);
}

TopicEvidence TopicClassifier::evidence(const Xapian::Document& doc, std::string_view lang) const {
    const Model& model = impl_->model_for(lang);
    const DocTerms d = read_doc_terms(model, doc);
    const double k = bm25_k(d.length);
    TopicEvidence out;
    out.length = d.length;
    out.rules.resize(model.topics.size());
    for (std::size_t t = 0; t < model.topics.size(); ++t) {
        const auto& rules = model.topics[t].rules;
        for (std::size_t r = 0; r < rules.size(); ++r) {
            const double tf = evaluate(rules[r].root, d);
            if (tf > 0.0) {
                out.rules[t].emplace_back(rules[r].source_index, saturate(tf, k));
            }
        }
    }
    return out;
}

std::vector<TopicScore> TopicClassifier::merge(const std::vector<std::string>& editor_topics,
                                               std::vector<TopicScore> classified) const {
    std::vector<TopicScore> out;
    std::unordered_set<std::string> seen;
    // Editor topics first (the editor's judgement outranks the classifier), then the rest.
    for (const auto& raw : editor_topics) {
        std::string id = Analyzer::filter_value(raw);
        if (id.empty() || !seen.insert(id).second) {
            continue;
        }
        TopicScore ts{id, 1.0, true};
        for (const auto& c : classified) {
            if (c.id == id) {
                ts.score = c.score;
            }
        }
        out.push_back(std::move(ts));
    }
    for (auto& c : classified) {
        if (seen.insert(c.id).second) {
            out.push_back(std::move(c));
        }
    }
    return out;
}

} // namespace gazette
