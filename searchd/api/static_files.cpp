#include "searchd/api/static_files.hpp"

#include <fstream>
#include <sstream>

namespace gazette::searchd::api {
namespace {

constexpr std::uintmax_t kMaxFileBytes = 16 * 1024 * 1024;

bool safe_relative(std::string_view path) {
    if (path.find('\0') != std::string_view::npos || path.find('\\') != std::string_view::npos) {
        return false;
    }
    std::size_t start = 0;
    while (start <= path.size()) {
        std::size_t end = path.find('/', start);
        if (end == std::string_view::npos) {
            end = path.size();
        }
        const std::string_view seg = path.substr(start, end - start);
        if (seg == ".." || seg == ".") {
            return false;
        }
        start = end + 1;
    }
    return true;
}

} // namespace

StaticFiles::StaticFiles(std::filesystem::path root) {
    std::error_code ec;
    auto canonical = std::filesystem::canonical(root, ec);
    if (!ec && std::filesystem::is_directory(canonical, ec)) {
        root_ = std::move(canonical);
    }
}

std::string_view StaticFiles::content_type(const std::filesystem::path& file) {
    const std::string ext = file.extension().string();
    if (ext == ".html" || ext == ".htm") {
        return "text/html; charset=utf-8";
    }
    if (ext == ".js" || ext == ".mjs") {
        return "text/javascript; charset=utf-8";
    }
    if (ext == ".css") {
        return "text/css; charset=utf-8";
    }
    if (ext == ".json") {
        return "application/json";
    }
    if (ext == ".svg") {
        return "image/svg+xml";
    }
    if (ext == ".png") {
        return "image/png";
    }
    if (ext == ".ico") {
        return "image/x-icon";
    }
    if (ext == ".txt") {
        return "text/plain; charset=utf-8";
    }
    return "application/octet-stream";
}

std::optional<httpd::Response> StaticFiles::serve(std::string_view path) const {
    if (path.empty() || path.front() != '/') {
        return std::nullopt;
    }
    std::string rel(path.substr(1));
    if (rel.empty() || rel.back() == '/') {
        rel += "index.html";
    }
    if (!safe_relative(rel)) {
        return std::nullopt;
    }
    if (!root_.empty()) {
        std::error_code ec;
        const auto resolved = std::filesystem::weakly_canonical(root_ / rel, ec);
        const auto rs = resolved.native();
        const auto root = root_.native();
        const bool inside = !ec && rs.size() > root.size() && rs.compare(0, root.size(), root) == 0 &&
                            rs[root.size()] == '/';
        if (inside && std::filesystem::is_regular_file(resolved, ec) &&
            std::filesystem::file_size(resolved, ec) <= kMaxFileBytes) {
            std::ifstream in(resolved, std::ios::binary);
            if (in) {
                std::ostringstream ss;
                ss << in.rdbuf();
                httpd::Response r;
                r.content_type = std::string(content_type(resolved));
                r.body = ss.str();
                r.headers.emplace_back("Cache-Control", "no-cache");
                r.headers.emplace_back("X-Content-Type-Options", "nosniff");
                return r;
            }
        }
    }
    if (rel == "index.html") {
        httpd::Response r;
        r.content_type = "text/html; charset=utf-8";
        r.body = std::string(builtin_index_html());
        return r;
    }
    return std::nullopt;
}

std::string_view builtin_index_html() {
    return R"HTML(<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Gazette search</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:sans-serif;max-width:50rem;margin:2rem auto;padding:0 1rem}
input[type=search]{width:70%;font-size:1.1rem}mark{background:#ffe066}
.hit{margin:1rem 0}.meta{color:#666;font-size:.9rem}</style></head>
<body><h1>Gazette</h1>
<form id="f"><input type="search" id="q" name="q" autofocus placeholder="Search articles">
<button>Search</button></form><p id="info"></p><div id="hits"></div>
<script>
const f=document.getElementById('f'),q=document.getElementById('q');
function esc(s){const d=document.createElement('div');d.textContent=s;return d.innerHTML;}
f.onsubmit=async e=>{e.preventDefault();
 const r=await fetch('/search?q='+encodeURIComponent(q.value));const j=await r.json();
 if(!r.ok){document.getElementById('info').textContent=j.error.message;return;}
 document.getElementById('info').textContent=j.total.value+' results in '+j.took_ms+' ms';
 document.getElementById('hits').innerHTML=j.hits.map(h=>'<div class="hit"><a href="'+esc(h.url||'#')+'">'+h.title+
 '</a><div class="meta">'+esc(h.source)+' '+esc(h.date)+' '+esc(h.topics.join(', '))+'</div><div>'+h.snippet+'</div></div>').join('');};
</script></body></html>
)HTML";
}

} // namespace gazette::searchd::api
