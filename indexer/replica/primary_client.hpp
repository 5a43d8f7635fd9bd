#pragma once
/// Asks the primary's admin API (`gazette-indexer serve`, GET /generations) which generation is
/// live and which are retained. This is the replica's only view of the primary's live pointer:
/// Xapian replication copies databases, not the pointer between them.

#include "common/error.hpp"

#include <chrono>
#include <string>
#include <vector>

namespace gazette::indexer::replica {

/// The primary's generations as its admin API reports them.
struct PrimaryState {
    std::string live;                     ///< empty when the primary has no live generation yet
    std::vector<std::string> generations; ///< retained names, oldest first (the live one included)
};

/// Where the primary's admin API is and how to authenticate.
struct PrimaryEndpoint {
    std::string host;
    std::string port;
    std::string admin_key; ///< sent as `Authorization: Bearer KEY`; empty = none
    std::chrono::milliseconds timeout{5000};
};

/// Parses "http://HOST:PORT", "HOST:PORT" (a trailing '/' allowed). Fails with bad_request.
[[nodiscard]] Result<PrimaryEndpoint> parse_primary_url(const std::string& url);

/// GET /generations on the primary. Network errors, non-200 answers and malformed bodies are
/// errors (unavailable / internal); never throws.
[[nodiscard]] Result<PrimaryState> fetch_primary_state(const PrimaryEndpoint& endpoint);

/// Parses the body of GET /generations (exposed for unit tests).
[[nodiscard]] Result<PrimaryState> parse_generations_body(const std::string& body);

} // namespace gazette::indexer::replica
