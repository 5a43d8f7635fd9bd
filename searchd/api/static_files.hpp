#pragma once
/// Serves the web page and its assets from one folder. Paths can never escape it: any `..`
/// segment, backslash or NUL is refused, and the resolved path (symlinks followed) must stay
/// under the folder's canonical path. Without an index.html, `/` gets a minimal built-in page.

#include "httpd/server.hpp"

#include <filesystem>
#include <optional>
#include <string_view>

namespace gazette::searchd::api {

class StaticFiles {
public:
    /// `root` may not exist (then only the built-in page is served).
    explicit StaticFiles(std::filesystem::path root);

    /// The response for a decoded request path ("/", "/app.js"), or nullopt when there is no
    /// such file (the caller answers 404).
    std::optional<httpd::Response> serve(std::string_view path) const;

    const std::filesystem::path& root() const noexcept { return root_; }

    /// Content-Type for a file name by extension.
    static std::string_view content_type(const std::filesystem::path& file);

private:
    std::filesystem::path root_; ///< canonical, or empty when missing
};

/// The built-in search page used when no static folder provides index.html.
std::string_view builtin_index_html();

} // namespace gazette::searchd::api
