#include "common/config.hpp"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

namespace gazette {

bool ApiKey::has_scope(std::string_view scope) const {
    for (const auto& s : scopes) {
        if (s == scope || (s == "admin" && scope == "search")) {
            return true;
        }
    }
    return false;
}

bool constant_time_equals(std::string_view a, std::string_view b) noexcept {
    // Compare every byte of the longer input so the time depends only on the lengths.
    const std::size_t n = std::max(a.size(), b.size());
    unsigned char diff = a.size() == b.size() ? 0 : 1;
    for (std::size_t i = 0; i < n; ++i) {
        const auto x = i < a.size() ? static_cast<unsigned char>(a[i]) : 0;
        const auto y = i < b.size() ? static_cast<unsigned char>(b[i]) : 0;
        diff = static_cast<unsigned char>(diff | (x ^ y));
    }
    return diff == 0;
}

const ApiKey* Config::find_key(std::string_view presented) const {
    const ApiKey* found = nullptr;
    // No early exit: every key is compared whatever matches.
    for (const auto& k : keys) {
        if (constant_time_equals(k.key, presented)) {
            found = &k;
        }
    }
    return found;
}

Result<std::pair<std::string, unsigned short>> parse_listen(std::string_view value, std::string_view key) {
    const auto colon = value.rfind(':');
    if (colon == std::string_view::npos || colon == 0) {
        return Error(ErrorCode::bad_config,
                     fmt::format("'{}' must be HOST:PORT, got '{}'", key, value), std::string(key));
    }
    std::string host(value.substr(0, colon));
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') {
        host = host.substr(1, host.size() - 2);
    }
    const auto port_text = value.substr(colon + 1);
    unsigned long port = 0;
    if (port_text.empty() || port_text.size() > 5) {
        return Error(ErrorCode::bad_config, fmt::format("'{}' has an invalid port in '{}'", key, value),
                     std::string(key));
    }
    for (char c : port_text) {
        if (c < '0' || c > '9') {
            return Error(ErrorCode::bad_config, fmt::format("'{}' has an invalid port in '{}'", key, value),
                         std::string(key));
        }
        port = port * 10 + static_cast<unsigned long>(c - '0');
    }
    if (port > 65535) {
        return Error(ErrorCode::bad_config, fmt::format("'{}' port {} is above 65535", key, port),
                     std::string(key));
    }
    return std::pair{host, static_cast<unsigned short>(port)};
}

namespace {

/// Reads one table, refusing keys it does not know. Each `read_*` call marks its key known.
class TableReader {
public:
    TableReader(const toml::table& table, std::string prefix) : table_(table), prefix_(std::move(prefix)) {}

    std::string name(std::string_view key) const {
        return prefix_.empty() ? std::string(key) : prefix_ + "." + std::string(key);
    }

    Result<void> read(std::string_view key, std::string& out) {
        known_.insert(std::string(key));
        const auto* node = table_.get(key);
        if (node == nullptr) {
            return {};
        }
        if (const auto* s = node->as_string()) {
            out = s->get();
            return {};
        }
        return type_error(key, "a string");
    }

    Result<void> read(std::string_view key, bool& out) {
        known_.insert(std::string(key));
        const auto* node = table_.get(key);
        if (node == nullptr) {
            return {};
        }
        if (const auto* b = node->as_boolean()) {
            out = b->get();
            return {};
        }
        return type_error(key, "true or false");
    }

    Result<void> read(std::string_view key, double& out) {
        known_.insert(std::string(key));
        const auto* node = table_.get(key);
        if (node == nullptr) {
            return {};
        }
        if (const auto* f = node->as_floating_point()) {
            out = f->get();
            return {};
        }
        if (const auto* i = node->as_integer()) {
            out = static_cast<double>(i->get());
            return {};
        }
        return type_error(key, "a number");
    }

    template <class Int>
        requires std::is_integral_v<Int>
    Result<void> read(std::string_view key, Int& out) {
        known_.insert(std::string(key));
        const auto* node = table_.get(key);
        if (node == nullptr) {
            return {};
        }
        const auto* i = node->as_integer();
        if (i == nullptr) {
            return type_error(key, "an integer");
        }
        const auto v = i->get();
        if (v < 0) {
            return Error(ErrorCode::bad_config, fmt::format("config key '{}' must not be negative", name(key)),
                         name(key));
        }
        out = static_cast<Int>(v);
        return {};
    }

    Result<void> read(std::string_view key, std::vector<std::string>& out) {
        known_.insert(std::string(key));
        const auto* node = table_.get(key);
        if (node == nullptr) {
            return {};
        }
        const auto* arr = node->as_array();
        if (arr == nullptr) {
            return type_error(key, "a list of strings");
        }
        out.clear();
        for (const auto& e : *arr) {
            const auto* s = e.as_string();
            if (s == nullptr) {
                return type_error(key, "a list of strings");
            }
            out.push_back(s->get());
        }
        return {};
    }

    void mark_known(std::string_view key) { known_.insert(std::string(key)); }

    /// Error naming the first key that no read_* call asked for.
    Result<void> check_unknown() const {
        for (const auto& [k, v] : table_) {
            if (known_.count(std::string(k.str())) == 0) {
                return Error(ErrorCode::bad_config, fmt::format("unknown config key '{}'", name(k.str())),
                             name(k.str()));
            }
        }
        return {};
    }

private:
    Error type_error(std::string_view key, std::string_view expected) const {
        return Error(ErrorCode::bad_config, fmt::format("config key '{}' must be {}", name(key), expected),
                     name(key));
    }

    const toml::table& table_;
    std::string prefix_;
    std::set<std::string> known_;
};

#define GAZETTE_TRY(expr)                                                                          \
    do {                                                                                           \
        if (auto gazette_r_ = (expr); !gazette_r_) {                                               \
            return gazette_r_.error();                                                             \
        }                                                                                          \
    } while (false)

Result<const toml::table*> sub_table(const toml::table& root, std::string_view key) {
    const auto* node = root.get(key);
    if (node == nullptr) {
        return static_cast<const toml::table*>(nullptr);
    }
    if (const auto* t = node->as_table()) {
        return t;
    }
    return Error(ErrorCode::bad_config, fmt::format("config key '{}' must be a table ([{}])", key, key),
                 std::string(key));
}

Result<void> read_limits(const toml::table& t, LimitsConfig& l) {
    TableReader r(t, "limits");
    GAZETTE_TRY(r.read("max_body_bytes_search", l.max_body_bytes_search));
    GAZETTE_TRY(r.read("max_body_bytes_admin", l.max_body_bytes_admin));
    GAZETTE_TRY(r.read("max_uri_bytes", l.max_uri_bytes));
    GAZETTE_TRY(r.read("max_header_bytes", l.max_header_bytes));
    GAZETTE_TRY(r.read("max_headers", l.max_headers));
    GAZETTE_TRY(r.read("max_query_chars", l.max_query_chars));
    GAZETTE_TRY(r.read("max_limit", l.max_limit));
    GAZETTE_TRY(r.read("max_result_window", l.max_result_window));
    GAZETTE_TRY(r.read("max_wildcard_expansion", l.max_wildcard_expansion));
    GAZETTE_TRY(r.read("max_query_terms", l.max_query_terms));
    GAZETTE_TRY(r.read("max_query_depth", l.max_query_depth));
    GAZETTE_TRY(r.read("query_time_budget_ms", l.query_time_budget_ms));
    GAZETTE_TRY(r.read("max_connections", l.max_connections));
    GAZETTE_TRY(r.read("header_read_timeout_s", l.header_read_timeout_s));
    GAZETTE_TRY(r.read("body_read_timeout_s", l.body_read_timeout_s));
    GAZETTE_TRY(r.read("keep_alive_idle_s", l.keep_alive_idle_s));
    GAZETTE_TRY(r.read("search_queue_depth", l.search_queue_depth));
    return r.check_unknown();
}

Result<void> read_indexer(const toml::table& t, IndexerConfig& c) {
    TableReader r(t, "indexer");
    GAZETTE_TRY(r.read("admin_listen", c.admin_listen));
    GAZETTE_TRY(r.read("batch_size", c.batch_size));
    GAZETTE_TRY(r.read("commit_interval_ms", c.commit_interval_ms));
    GAZETTE_TRY(r.read("inbox_poll_ms", c.inbox_poll_ms));
    GAZETTE_TRY(r.read("keep_generations", c.keep_generations));
    GAZETTE_TRY(r.read("threads", c.threads));
    GAZETTE_TRY(r.read("reindex_max_diff", c.reindex_max_diff));
    GAZETTE_TRY(r.read("sample_queries", c.sample_queries));
    GAZETTE_TRY(r.read("boilerplate_patterns", c.boilerplate_patterns));
    GAZETTE_TRY(r.read("replication_changesets", c.replication_changesets));
    return r.check_unknown();
}

Result<void> read_searchd(const toml::table& t, SearchdConfig& c) {
    TableReader r(t, "searchd");
    GAZETTE_TRY(r.read("listen", c.listen));
    GAZETTE_TRY(r.read("threads", c.threads));
    GAZETTE_TRY(r.read("io_threads", c.io_threads));
    GAZETTE_TRY(r.read("io_spin_us", c.io_spin_us));
    GAZETTE_TRY(r.read("parallel_min_docs", c.parallel_min_docs));
    GAZETTE_TRY(r.read("reopen_check_ms", c.reopen_check_ms));
    GAZETTE_TRY(r.read("coordination_max_words", c.coordination_max_words));
    GAZETTE_TRY(r.read("static_dir", c.static_dir));
    GAZETTE_TRY(r.read("cache_entries", c.cache_entries));
    GAZETTE_TRY(r.read("open_search", c.open_search));
    GAZETTE_TRY(r.read("synonyms_file", c.synonyms_file));
    return r.check_unknown();
}

Result<void> read_analysis(const toml::table& t, AnalysisConfig& c) {
    TableReader r(t, "analysis");
    GAZETTE_TRY(r.read("default_language", c.default_language));
    GAZETTE_TRY(r.read("languages", c.languages));
    GAZETTE_TRY(r.read("stopwords", c.stopwords));
    GAZETTE_TRY(r.read("title_weight", c.title_weight));
    return r.check_unknown();
}

Result<void> read_keys(const toml::node& node, std::vector<ApiKey>& keys) {
    const auto* arr = node.as_array();
    if (arr == nullptr) {
        return Error(ErrorCode::bad_config, "config key 'keys' must be an array of tables ([[keys]])", "keys");
    }
    std::size_t index = 0;
    for (const auto& e : *arr) {
        const auto* t = e.as_table();
        const std::string prefix = fmt::format("keys[{}]", index++);
        if (t == nullptr) {
            return Error(ErrorCode::bad_config, fmt::format("config key '{}' must be a table", prefix), prefix);
        }
        ApiKey k;
        TableReader r(*t, prefix);
        GAZETTE_TRY(r.read("key", k.key));
        GAZETTE_TRY(r.read("scopes", k.scopes));
        GAZETTE_TRY(r.read("name", k.name));
        GAZETTE_TRY(r.check_unknown());
        if (k.key.size() < 8) {
            return Error(ErrorCode::bad_config,
                         fmt::format("config key '{}.key' must be at least 8 characters", prefix), prefix + ".key");
        }
        if (k.scopes.empty()) {
            return Error(ErrorCode::bad_config, fmt::format("config key '{}.scopes' is empty", prefix),
                         prefix + ".scopes");
        }
        for (const auto& s : k.scopes) {
            if (s != "search" && s != "admin") {
                return Error(ErrorCode::bad_config,
                             fmt::format("config key '{}.scopes' has unknown scope '{}' (search, admin)", prefix, s),
                             prefix + ".scopes");
            }
        }
        if (k.name.empty()) {
            k.name = prefix;
        }
        keys.push_back(std::move(k));
    }
    return {};
}

Result<void> apply_file(const std::string& path, Config& c) {
    toml::table root;
    try {
        root = toml::parse_file(path);
    } catch (const toml::parse_error& e) {
        const auto& src = e.source();
        return Error(ErrorCode::bad_config,
                     fmt::format("{}:{}:{}: {}", path, src.begin.line, src.begin.column, e.description()), path);
    }
    TableReader r(root, "");
    GAZETTE_TRY(r.read("data_dir", c.data_dir));
    GAZETTE_TRY(r.read("topics_file", c.topics_file));
    GAZETTE_TRY(r.read("log_level", c.log_level));
    for (auto [key, fn] : std::initializer_list<std::pair<const char*, int>>{
             {"indexer", 0}, {"searchd", 1}, {"limits", 2}, {"analysis", 3}, {"rate_limit", 4}, {"cors", 5}}) {
        r.mark_known(key);
        auto table = sub_table(root, key);
        if (!table) {
            return table.error();
        }
        if (*table == nullptr) {
            continue;
        }
        const toml::table& t = **table;
        switch (fn) {
        case 0: GAZETTE_TRY(read_indexer(t, c.indexer)); break;
        case 1: GAZETTE_TRY(read_searchd(t, c.searchd)); break;
        case 2: GAZETTE_TRY(read_limits(t, c.limits)); break;
        case 3: GAZETTE_TRY(read_analysis(t, c.analysis)); break;
        case 4: {
            TableReader rr(t, "rate_limit");
            GAZETTE_TRY(rr.read("enabled", c.rate_limit.enabled));
            GAZETTE_TRY(rr.read("requests_per_s", c.rate_limit.requests_per_s));
            GAZETTE_TRY(rr.read("burst", c.rate_limit.burst));
            GAZETTE_TRY(rr.check_unknown());
            break;
        }
        case 5: {
            TableReader rr(t, "cors");
            GAZETTE_TRY(rr.read("origins", c.cors.origins));
            GAZETTE_TRY(rr.check_unknown());
            break;
        }
        default: break;
        }
    }
    r.mark_known("keys");
    if (const auto* keys = root.get("keys")) {
        GAZETTE_TRY(read_keys(*keys, c.keys));
    }
    GAZETTE_TRY(r.check_unknown());
    // Relative paths in the file are relative to the file's folder.
    const auto base = std::filesystem::path(path).parent_path();
    auto resolve = [&base](std::string& p) {
        if (!p.empty() && std::filesystem::path(p).is_relative()) {
            p = (base / p).lexically_normal().string();
        }
    };
    resolve(c.data_dir);
    resolve(c.topics_file);
    resolve(c.searchd.static_dir);
    resolve(c.searchd.synonyms_file);
    if (c.topics_file.empty() && std::filesystem::exists(base / "topics.toml")) {
        c.topics_file = (base / "topics.toml").string();
    }
    if (c.searchd.synonyms_file.empty() && std::filesystem::exists(base / "synonyms.txt")) {
        c.searchd.synonyms_file = (base / "synonyms.txt").string();
    }
    return {};
}

Result<void> apply_env(Config& c) {
    auto env = [](const char* name) -> const char* { return std::getenv(name); };
    if (const char* v = env("GAZETTE_DATA_DIR")) {
        c.data_dir = v;
    }
    if (const char* v = env("GAZETTE_LOG_LEVEL")) {
        c.log_level = v;
    }
    if (const char* v = env("GAZETTE_SEARCHD_LISTEN")) {
        c.searchd.listen = v;
    }
    if (const char* v = env("GAZETTE_INDEXER_ADMIN_LISTEN")) {
        c.indexer.admin_listen = v;
    }
    if (const char* v = env("GAZETTE_SEARCHD_THREADS")) {
        char* end = nullptr;
        const unsigned long n = std::strtoul(v, &end, 10);
        if (end == v || *end != '\0') {
            return Error(ErrorCode::bad_config, fmt::format("GAZETTE_SEARCHD_THREADS must be a number, got '{}'", v),
                         "GAZETTE_SEARCHD_THREADS");
        }
        c.searchd.threads = n;
    }
    return {};
}

} // namespace

Result<Config> load_config(const std::string& path) {
    Config c;
    if (!path.empty()) {
        if (!std::filesystem::exists(path)) {
            return Error(ErrorCode::bad_config, fmt::format("config file '{}' does not exist", path), path);
        }
        c.config_path = path;
        GAZETTE_TRY(apply_file(path, c));
    }
    GAZETTE_TRY(apply_env(c));
    return c;
}

Result<void> validate_config(const Config& c) {
    if (c.data_dir.empty()) {
        return Error(ErrorCode::bad_config, "data_dir is not set (use --data-dir or data_dir in the config)",
                     "data_dir");
    }
    if (auto r = parse_listen(c.searchd.listen, "searchd.listen"); !r) {
        return r.error();
    }
    if (auto r = parse_listen(c.indexer.admin_listen, "indexer.admin_listen"); !r) {
        return r.error();
    }
    if (c.limits.max_limit == 0 || c.limits.max_result_window < c.limits.max_limit) {
        return Error(ErrorCode::bad_config, "limits.max_result_window must be at least limits.max_limit",
                     "limits.max_result_window");
    }
    if (c.rate_limit.requests_per_s <= 0 || c.rate_limit.burst < 1) {
        return Error(ErrorCode::bad_config, "rate_limit.requests_per_s must be > 0 and burst >= 1",
                     "rate_limit.requests_per_s");
    }
    if (c.searchd.io_spin_us > 10000) {
        return Error(ErrorCode::bad_config,
                     fmt::format("searchd.io_spin_us must be 0..10000 (microseconds), got {}", c.searchd.io_spin_us),
                     "searchd.io_spin_us");
    }
    // searchd's coordination tiers enumerate clause subsets; more than 6 is never coordinated.
    if (c.searchd.coordination_max_words > 6) {
        return Error(ErrorCode::bad_config,
                     fmt::format("searchd.coordination_max_words must be 0..6, got {}",
                                 c.searchd.coordination_max_words),
                     "searchd.coordination_max_words");
    }
    if (c.searchd.reopen_check_ms > 1000) {
        return Error(ErrorCode::bad_config,
                     fmt::format("searchd.reopen_check_ms must be 0..1000 (milliseconds), got {}",
                                 c.searchd.reopen_check_ms),
                     "searchd.reopen_check_ms");
    }
    if (c.analysis.title_weight < 1 || c.analysis.title_weight > 100) {
        return Error(ErrorCode::bad_config,
                     fmt::format("analysis.title_weight must be 1..100, got {}", c.analysis.title_weight),
                     "analysis.title_weight");
    }
    static const std::set<std::string> kLevels{"trace", "debug", "info", "warn", "warning", "error", "critical", "off"};
    if (kLevels.count(c.log_level) == 0) {
        return Error(ErrorCode::bad_config, fmt::format("log_level '{}' is not a level (trace..off)", c.log_level),
                     "log_level");
    }
    return {};
}

std::string config_to_toml(const Config& c) {
    auto list = [](const std::vector<std::string>& v) {
        toml::array a;
        for (const auto& s : v) {
            a.push_back(s);
        }
        return a;
    };
    toml::table root{
        {"data_dir", c.data_dir},
        {"topics_file", c.topics_file},
        {"log_level", c.log_level},
        {"indexer", toml::table{{"admin_listen", c.indexer.admin_listen},
                                {"batch_size", static_cast<int64_t>(c.indexer.batch_size)},
                                {"commit_interval_ms", static_cast<int64_t>(c.indexer.commit_interval_ms)},
                                {"inbox_poll_ms", static_cast<int64_t>(c.indexer.inbox_poll_ms)},
                                {"keep_generations", static_cast<int64_t>(c.indexer.keep_generations)},
                                {"threads", static_cast<int64_t>(c.indexer.threads)},
                                {"reindex_max_diff", c.indexer.reindex_max_diff},
                                {"sample_queries", list(c.indexer.sample_queries)},
                                {"boilerplate_patterns", list(c.indexer.boilerplate_patterns)},
                                {"replication_changesets", static_cast<int64_t>(c.indexer.replication_changesets)}}},
        {"searchd", toml::table{{"listen", c.searchd.listen},
                                {"threads", static_cast<int64_t>(c.searchd.threads)},
                                {"io_threads", static_cast<int64_t>(c.searchd.io_threads)},
                                {"io_spin_us", static_cast<int64_t>(c.searchd.io_spin_us)},
                                {"parallel_min_docs", static_cast<int64_t>(c.searchd.parallel_min_docs)},
                                {"reopen_check_ms", static_cast<int64_t>(c.searchd.reopen_check_ms)},
                                {"coordination_max_words", static_cast<int64_t>(c.searchd.coordination_max_words)},
                                {"static_dir", c.searchd.static_dir},
                                {"cache_entries", static_cast<int64_t>(c.searchd.cache_entries)},
                                {"open_search", c.searchd.open_search},
                                {"synonyms_file", c.searchd.synonyms_file}}},
        {"limits", toml::table{{"max_body_bytes_search", static_cast<int64_t>(c.limits.max_body_bytes_search)},
                               {"max_body_bytes_admin", static_cast<int64_t>(c.limits.max_body_bytes_admin)},
                               {"max_uri_bytes", static_cast<int64_t>(c.limits.max_uri_bytes)},
                               {"max_header_bytes", static_cast<int64_t>(c.limits.max_header_bytes)},
                               {"max_headers", static_cast<int64_t>(c.limits.max_headers)},
                               {"max_query_chars", static_cast<int64_t>(c.limits.max_query_chars)},
                               {"max_limit", static_cast<int64_t>(c.limits.max_limit)},
                               {"max_result_window", static_cast<int64_t>(c.limits.max_result_window)},
                               {"max_wildcard_expansion", static_cast<int64_t>(c.limits.max_wildcard_expansion)},
                               {"max_query_terms", static_cast<int64_t>(c.limits.max_query_terms)},
                               {"max_query_depth", static_cast<int64_t>(c.limits.max_query_depth)},
                               {"query_time_budget_ms", static_cast<int64_t>(c.limits.query_time_budget_ms)},
                               {"max_connections", static_cast<int64_t>(c.limits.max_connections)},
                               {"header_read_timeout_s", static_cast<int64_t>(c.limits.header_read_timeout_s)},
                               {"body_read_timeout_s", static_cast<int64_t>(c.limits.body_read_timeout_s)},
                               {"keep_alive_idle_s", static_cast<int64_t>(c.limits.keep_alive_idle_s)},
                               {"search_queue_depth", static_cast<int64_t>(c.limits.search_queue_depth)}}},
        {"rate_limit", toml::table{{"enabled", c.rate_limit.enabled},
                                   {"requests_per_s", c.rate_limit.requests_per_s},
                                   {"burst", c.rate_limit.burst}}},
        {"cors", toml::table{{"origins", list(c.cors.origins)}}},
        {"analysis", toml::table{{"default_language", c.analysis.default_language},
                                 {"languages", list(c.analysis.languages)},
                                 {"stopwords", c.analysis.stopwords},
                                 {"title_weight", static_cast<std::int64_t>(c.analysis.title_weight)}}},
    };
    toml::array keys;
    for (const auto& k : c.keys) {
        keys.push_back(toml::table{{"name", k.name}, {"key", std::string("********")}, {"scopes", list(k.scopes)}});
    }
    root.insert("keys", std::move(keys));
    std::ostringstream out;
    out << root << "\n";
    return out.str();
}

} // namespace gazette
