#include "indexer/archive.hpp"

#include <boost/json.hpp>
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <stdexcept>
#include <system_error>
#include <unistd.h>
#include <unordered_map>

namespace fs = std::filesystem;
namespace json = boost::json;

namespace gazette::indexer {

namespace {

[[noreturn]] void throw_errno(std::string_view what, const fs::path& path) {
    throw std::system_error(errno, std::generic_category(), fmt::format("{} '{}'", what, path.string()));
}

std::string encode(const ArchiveRecord& r) {
    // The article JSON is spliced in verbatim: it is already canonical JSON.
    if (r.op == ArchiveRecord::Op::upsert) {
        return fmt::format("{{\"seq\":{},\"op\":\"upsert\",\"article\":{}}}\n", r.seq, article_to_json(r.article));
    }
    json::object o;
    o["seq"] = r.seq;
    o["op"] = "delete";
    o["id"] = r.id;
    return json::serialize(o) + "\n";
}

/// Fast path for the layout encode() writes: `{"seq":N,"op":"upsert","article":{...}}`. The
/// article object is parsed once, straight from the line (no parse + re-serialise).
bool decode_fast(std::string_view line, ArchiveRecord& out, std::string& error, bool& handled) {
    handled = false;
    constexpr std::string_view kSeq = "{\"seq\":";
    constexpr std::string_view kUpsert = ",\"op\":\"upsert\",\"article\":";
    if (line.substr(0, kSeq.size()) != kSeq || line.empty() || line.back() != '}') {
        return false;
    }
    std::size_t pos = kSeq.size();
    std::uint64_t seq = 0;
    while (pos < line.size() && line[pos] >= '0' && line[pos] <= '9') {
        seq = seq * 10 + static_cast<std::uint64_t>(line[pos] - '0');
        ++pos;
    }
    if (line.substr(pos, kUpsert.size()) != kUpsert) {
        return false;
    }
    handled = true;
    const std::string_view body = line.substr(pos + kUpsert.size(), line.size() - 1 - pos - kUpsert.size());
    auto a = article_from_json(body);
    if (!a) {
        error = a.error().message;
        return false;
    }
    out.seq = seq;
    out.op = ArchiveRecord::Op::upsert;
    out.article = std::move(*a);
    out.id = out.article.id;
    return true;
}

/// Reads only seq, op and id (for passes that need no article): a fraction of a full decode.
bool decode_key(std::string_view line, std::uint64_t& seq, bool& upsert, std::string& id) {
    constexpr std::string_view kSeq = "{\"seq\":";
    if (line.substr(0, kSeq.size()) != kSeq) {
        return false;
    }
    std::size_t pos = kSeq.size();
    seq = 0;
    while (pos < line.size() && line[pos] >= '0' && line[pos] <= '9') {
        seq = seq * 10 + static_cast<std::uint64_t>(line[pos] - '0');
        ++pos;
    }
    constexpr std::string_view kOpUpsert = ",\"op\":\"upsert\",\"article\":{\"id\":";
    constexpr std::string_view kOpDelete = ",\"op\":\"delete\",\"id\":";
    if (line.substr(pos, kOpUpsert.size()) == kOpUpsert) {
        upsert = true;
        pos += kOpUpsert.size();
    } else if (line.substr(pos, kOpDelete.size()) == kOpDelete) {
        upsert = false;
        pos += kOpDelete.size();
    } else {
        return false;
    }
    // The id is a JSON string literal: find its closing quote, then let the JSON parser
    // unescape just that literal.
    if (pos >= line.size() || line[pos] != '"') {
        return false;
    }
    std::size_t end = pos + 1;
    while (end < line.size() && line[end] != '"') {
        end += line[end] == '\\' ? 2 : 1;
    }
    if (end >= line.size()) {
        return false;
    }
    const std::string_view literal = line.substr(pos, end - pos + 1);
    if (literal.find('\\') == std::string_view::npos) {
        id.assign(literal.substr(1, literal.size() - 2));
        return true;
    }
    boost::system::error_code ec;
    const json::value v = json::parse(literal, ec);
    if (ec || !v.is_string()) {
        return false;
    }
    id = std::string(v.get_string());
    return true;
}

bool decode(std::string_view line, ArchiveRecord& out, std::string& error) {
    bool handled = false;
    if (decode_fast(line, out, error, handled) || handled) {
        return error.empty();
    }
    boost::system::error_code ec;
    json::value v = json::parse(line, ec);
    if (ec || !v.is_object()) {
        error = ec ? ec.message() : "not an object";
        return false;
    }
    const auto& o = v.get_object();
    const auto* seq = o.if_contains("seq");
    const auto* op = o.if_contains("op");
    if (seq == nullptr || !seq->is_number() || op == nullptr || !op->is_string()) {
        error = "missing seq or op";
        return false;
    }
    out.seq = seq->to_number<std::uint64_t>();
    if (op->get_string() == "delete") {
        out.op = ArchiveRecord::Op::remove;
        const auto* id = o.if_contains("id");
        if (id == nullptr || !id->is_string()) {
            error = "delete without id";
            return false;
        }
        out.id = std::string(id->get_string());
        return true;
    }
    out.op = ArchiveRecord::Op::upsert;
    const auto* art = o.if_contains("article");
    if (art == nullptr || !art->is_object()) {
        error = "upsert without article";
        return false;
    }
    auto a = article_from_json(json::serialize(*art));
    if (!a) {
        error = a.error().message;
        return false;
    }
    out.article = std::move(*a);
    out.id = out.article.id;
    return true;
}

unsigned segment_number(const fs::path& p) {
    // seg-000123.ndjson
    const std::string name = p.filename().string();
    return static_cast<unsigned>(std::stoul(name.substr(4, 6)));
}

} // namespace

Archive::Archive(fs::path dir, std::size_t segment_bytes) : dir_(std::move(dir)), segment_bytes_(segment_bytes) {
    fs::create_directories(dir_);
    open_tail();
    last_seq_ = read_last_seq();
}

std::uint64_t Archive::read_last_seq() const {
    // Only the last complete line of the newest non-empty segment matters: seqs only grow.
    auto segs = segments();
    for (auto it = segs.rbegin(); it != segs.rend(); ++it) {
        std::ifstream in(*it, std::ios::binary | std::ios::ate);
        const auto size = static_cast<std::uint64_t>(in.tellg());
        if (size == 0) {
            continue;
        }
        const std::uint64_t start = size > 65536 ? size - 65536 : 0;
        std::string tail(size - start, '\0');
        in.seekg(static_cast<std::streamoff>(start));
        in.read(tail.data(), static_cast<std::streamsize>(tail.size()));
        std::uint64_t best = 0;
        std::size_t pos = 0;
        while ((pos = tail.find("{\"seq\":", pos)) != std::string::npos) {
            best = std::max<std::uint64_t>(best, std::strtoull(tail.c_str() + pos + 7, nullptr, 10));
            pos += 7;
        }
        if (best > 0) {
            return best;
        }
    }
    return 0;
}

std::vector<fs::path> Archive::segments() const {
    std::vector<fs::path> segs;
    for (const auto& e : fs::directory_iterator(dir_)) {
        const auto name = e.path().filename().string();
        if (name.size() == 17 && name.rfind("seg-", 0) == 0 && name.ends_with(".ndjson")) {
            segs.push_back(e.path());
        }
    }
    std::sort(segs.begin(), segs.end());
    return segs;
}

void Archive::open_tail() {
    auto segs = segments();
    tail_number_ = segs.empty() ? 1 : segment_number(segs.back());
    tail_path_ = dir_ / fmt::format("seg-{:06d}.ndjson", tail_number_);
    fd_ = ::open(tail_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw_errno("cannot open archive segment", tail_path_);
    }
    // A crash mid-append can leave a torn last line: cut the file back to its last newline so
    // the next record starts on a line of its own.
    tail_size_ = fs::file_size(tail_path_);
    if (tail_size_ > 0) {
        std::ifstream in(tail_path_, std::ios::binary);
        std::uint64_t keep = tail_size_;
        std::string chunk;
        while (keep > 0) {
            const std::uint64_t start = keep > 4096 ? keep - 4096 : 0;
            chunk.resize(keep - start);
            in.seekg(static_cast<std::streamoff>(start));
            in.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
            const auto nl = chunk.rfind('\n');
            if (nl != std::string::npos) {
                keep = start + nl + 1;
                break;
            }
            keep = start;
        }
        if (keep != tail_size_) {
            if (::ftruncate(fd_, static_cast<off_t>(keep)) != 0) {
                throw_errno("cannot truncate torn archive tail", tail_path_);
            }
            tail_size_ = keep;
        }
    }
}

std::vector<std::uint64_t> Archive::append(std::vector<ArchiveRecord>& records) {
    std::lock_guard lock(mutex_);
    std::vector<std::uint64_t> seqs;
    seqs.reserve(records.size());
    std::string buffer;
    for (auto& r : records) {
        r.seq = ++last_seq_;
        seqs.push_back(r.seq);
        buffer += encode(r);
    }
    if (buffer.empty()) {
        return seqs;
    }
    if (tail_size_ > 0 && tail_size_ + buffer.size() > segment_bytes_) {
        ::fsync(fd_);
        ::close(fd_);
        ++tail_number_;
        tail_path_ = dir_ / fmt::format("seg-{:06d}.ndjson", tail_number_);
        fd_ = ::open(tail_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd_ < 0) {
            throw_errno("cannot open archive segment", tail_path_);
        }
        tail_size_ = 0;
        // Make the new segment's directory entry durable too.
        const int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (dfd >= 0) {
            ::fsync(dfd);
            ::close(dfd);
        }
    }
    std::string_view data = buffer;
    while (!data.empty()) {
        const ssize_t n = ::write(fd_, data.data(), data.size());
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            throw_errno("cannot append to archive", tail_path_);
        }
        data.remove_prefix(static_cast<std::size_t>(n));
    }
    if (::fdatasync(fd_) != 0) {
        throw_errno("cannot fsync archive", tail_path_);
    }
    tail_size_ += buffer.size();
    return seqs;
}

void Archive::scan(std::uint64_t after_seq, const std::function<void(ArchiveRecord&&)>& fn,
                   const std::function<void(const std::string&)>& on_error) const {
    for (const auto& seg : segments()) {
        std::ifstream in(seg, std::ios::binary);
        std::string line;
        long lineno = 0;
        while (std::getline(in, line)) {
            ++lineno;
            if (line.empty()) {
                continue;
            }
            // Cheap pre-check of the sequence number to skip already-applied records fast.
            if (after_seq > 0 && line.rfind("{\"seq\":", 0) == 0) {
                const std::uint64_t seq = std::strtoull(line.c_str() + 7, nullptr, 10);
                if (seq <= after_seq) {
                    continue;
                }
            }
            if (in.eof()) {
                // No trailing newline: a torn write. Never acknowledged, so skip it.
                break;
            }
            ArchiveRecord r;
            std::string error;
            if (!decode(line, r, error)) {
                if (on_error) {
                    on_error(fmt::format("{}:{}: {}", seg.string(), lineno, error));
                }
                continue;
            }
            if (r.seq > after_seq) {
                fn(std::move(r));
            }
        }
    }
}

void Archive::scan_latest(const std::function<void(ArchiveRecord&&)>& fn,
                          const std::function<void(std::size_t)>& on_total) const {
    // Pass 1: the last seq of every id. Pass 2: emit upserts whose seq is that last one.
    std::unordered_map<std::string, std::pair<std::uint64_t, bool>> latest;
    scan_keys([&latest](std::uint64_t seq, bool upsert, std::string&& id) {
        latest[std::move(id)] = {seq, upsert};
    });
    if (on_total) {
        on_total(static_cast<std::size_t>(
            std::count_if(latest.begin(), latest.end(), [](const auto& kv) { return kv.second.second; })));
    }
    scan(0, [&latest, &fn](ArchiveRecord&& r) {
        if (r.op != ArchiveRecord::Op::upsert) {
            return;
        }
        auto it = latest.find(r.id);
        if (it != latest.end() && it->second.first == r.seq && it->second.second) {
            fn(std::move(r));
        }
    });
}

void Archive::scan_keys(const std::function<void(std::uint64_t, bool, std::string&&)>& fn) const {
    for (const auto& seg : segments()) {
        std::ifstream in(seg, std::ios::binary);
        std::string line;
        std::string id;
        while (std::getline(in, line)) {
            if (line.empty() || in.eof()) {
                continue; // blank, or a torn last line that was never acknowledged
            }
            std::uint64_t seq = 0;
            bool upsert = false;
            if (decode_key(line, seq, upsert, id)) {
                fn(seq, upsert, std::move(id));
                continue;
            }
            // Any other layout (older writers): fall back to a full decode.
            ArchiveRecord r;
            std::string error;
            if (decode(line, r, error)) {
                fn(r.seq, r.op == ArchiveRecord::Op::upsert, std::move(r.id));
            }
        }
    }
}

std::vector<std::string> Archive::live_ids(std::uint64_t up_to) const {
    std::unordered_map<std::string, bool> latest;
    scan_keys([&latest, up_to](std::uint64_t seq, bool upsert, std::string&& id) {
        if (seq <= up_to) {
            latest[std::move(id)] = upsert;
        }
    });
    std::vector<std::string> ids;
    ids.reserve(latest.size());
    for (auto& [id, live] : latest) {
        if (live) {
            ids.push_back(id);
        }
    }
    return ids;
}

std::uint64_t Archive::last_seq() const {
    std::lock_guard lock(mutex_);
    return last_seq_;
}

std::uint64_t Archive::size_bytes() const {
    std::uint64_t total = 0;
    for (const auto& seg : segments()) {
        total += fs::file_size(seg);
    }
    return total;
}

} // namespace gazette::indexer
