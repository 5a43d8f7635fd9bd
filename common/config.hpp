#pragma once
/// The configuration shared by both daemons: one TOML file, then GAZETTE_* environment
/// variables, then command-line flags (each overriding the one before).
/// Parsed once into an immutable struct and passed down by const&.

#include "common/error.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace gazette {

struct ApiKey {
    std::string key;
    std::vector<std::string> scopes; ///< "search", "admin" (admin implies search)
    std::string name;                ///< for logs and metrics; never the key itself
    bool has_scope(std::string_view scope) const;
};

struct LimitsConfig {
    std::size_t max_body_bytes_search = 64 * 1024;
    std::size_t max_body_bytes_admin = 32 * 1024 * 1024;
    std::size_t max_uri_bytes = 8 * 1024;
    std::size_t max_header_bytes = 16 * 1024;
    std::size_t max_headers = 100;
    std::size_t max_query_chars = 2048;
    std::size_t max_limit = 100;
    std::size_t max_result_window = 10000;
    std::size_t max_wildcard_expansion = 1000;
    std::size_t max_query_terms = 1024;
    std::size_t max_query_depth = 32;
    std::uint32_t query_time_budget_ms = 2000;
    std::size_t max_connections = 1024;
    std::uint32_t header_read_timeout_s = 10;
    std::uint32_t body_read_timeout_s = 30;
    std::uint32_t keep_alive_idle_s = 60;
    std::size_t search_queue_depth = 0; ///< 0 = 4 x threads
};

struct RateLimitConfig {
    bool enabled = true;
    double requests_per_s = 100.0;
    double burst = 200.0;
};

struct CorsConfig {
    std::vector<std::string> origins; ///< exact origins, or "*" for any (read-only endpoints only)
};

struct AnalysisConfig {
    std::string default_language = "en"; ///< used when detection is unsure
    std::vector<std::string> languages = {"en", "ru", "de", "fr", "es"}; ///< stemmers enabled
    bool stopwords = true;
    /// wdf increment of each title word relative to a body word (1 = no boost). Index-time:
    /// a change applies to articles indexed afterwards, so follow it with a reindex.
    std::uint32_t title_weight = 5;
};

struct IndexerConfig {
    std::string admin_listen = "127.0.0.1:8081";
    std::size_t batch_size = 1000;          ///< articles per Xapian commit in batch jobs
    std::uint32_t commit_interval_ms = 500; ///< serve: max delay between ack and commit
    std::uint32_t inbox_poll_ms = 200;
    std::size_t keep_generations = 3;
    std::size_t threads = 0;                ///< analysis threads; 0 = hardware concurrency
    double reindex_max_diff = 0.5;          ///< max mean top-10 disagreement before a swap is refused
    std::vector<std::string> sample_queries = {"sanctions", "energy", "nuclear", "election", "trade"};
    std::vector<std::string> boilerplate_patterns; ///< extra regexes for the plain-text cleaner
    /// Xapian changesets kept per generation for replicas (XAPIAN_MAX_CHANGESETS of the writer);
    /// 0 = leave the environment as it is (no changesets unless it sets them).
    std::uint32_t replication_changesets = 0;
};

struct SearchdConfig {
    std::string listen = "127.0.0.1:8080";
    std::size_t threads = 0;              ///< search workers; 0 = hardware concurrency
    std::size_t io_threads = 1;
    std::uint32_t io_spin_us = 50;        ///< I/O threads poll this long before sleeping; 0 = off
    std::uint64_t parallel_min_docs = 5000; ///< split relevance matches over two cores from this size; 0 = never
    /// A worker looks for a newer commit of the live generation at most this often (ms); 0 =
    /// before every query. Swaps are seen at once regardless (the watcher's sequence).
    std::uint32_t reopen_check_ms = 2;
    /// With op=or, articles matching more of the query's words rank first when the query has
    /// at most this many words (coordination.hpp; 0..6); longer queries rank by BM25 alone. 0 = off.
    std::size_t coordination_max_words = 4;
    std::string static_dir;               ///< web page folder; empty = built-in default location
    std::size_t cache_entries = 1024;     ///< result cache size; 0 disables
    bool open_search = true;              ///< search without a key
    std::string synonyms_file;            ///< empty = config/synonyms.txt beside the config when present
};

struct Config {
    std::string data_dir;
    std::string config_path;   ///< the file this was loaded from, or empty
    std::string topics_file;   ///< path to topics.toml (default: beside the config file)
    std::string log_level = "info";
    IndexerConfig indexer;
    SearchdConfig searchd;
    LimitsConfig limits;
    RateLimitConfig rate_limit;
    CorsConfig cors;
    AnalysisConfig analysis;
    std::vector<ApiKey> keys;

    /// Finds a key by constant-time comparison against every configured key.
    const ApiKey* find_key(std::string_view presented) const;
};

/// Loads `path` (empty = defaults only), then applies GAZETTE_* environment overrides
/// (GAZETTE_DATA_DIR, GAZETTE_LOG_LEVEL, GAZETTE_SEARCHD_LISTEN, GAZETTE_SEARCHD_THREADS,
/// GAZETTE_INDEXER_ADMIN_LISTEN). Unknown keys and wrong types are errors naming the key.
[[nodiscard]] Result<Config> load_config(const std::string& path);

/// Validates cross-field constraints (non-empty data_dir, listen addresses parse, ...).
[[nodiscard]] Result<void> validate_config(const Config& config);

/// Renders the effective configuration as TOML (keys are masked), for --print-config.
std::string config_to_toml(const Config& config);

/// Constant-time string equality (length still leaks, as with every such comparison).
bool constant_time_equals(std::string_view a, std::string_view b) noexcept;

/// Splits "host:port"; returns an error naming `key` when malformed.
[[nodiscard]] Result<std::pair<std::string, unsigned short>> parse_listen(std::string_view value,
                                                                          std::string_view key);

} // namespace gazette
