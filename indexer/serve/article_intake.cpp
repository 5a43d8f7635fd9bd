#include "indexer/serve/article_intake.hpp"

#include "common/text.hpp"

#include <boost/json.hpp>

namespace gazette::indexer::serve {

ReaderPool::ReaderPool(ReaderOptions options) : options_(std::move(options)) {
    release(std::make_unique<Reader>(options_)); // validates the patterns now, not per request
}

std::unique_ptr<Reader> ReaderPool::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto r = std::move(idle_.back());
            idle_.pop_back();
            return r;
        }
    }
    return std::make_unique<Reader>(options_);
}

void ReaderPool::release(std::unique_ptr<Reader> reader) {
    if (!reader) {
        return;
    }
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(reader));
}

Intake parse_articles(Reader& reader, std::string_view body, InputFormat format, std::string_view origin) {
    Intake intake;
    reader.read_buffer(body, format, origin, [&](ParsedItem&& item) {
        if (!item.article) {
            intake.rejected.push_back(Rejection{item.where.line, std::move(item.id), item.article.error(), item.where});
            return;
        }
        ArchiveRecord r;
        r.op = ArchiveRecord::Op::upsert;
        r.id = item.article->id;
        r.article = std::move(*item.article);
        intake.records.push_back(std::move(r));
    });
    return intake;
}

std::string intake_response_json(std::size_t accepted, const std::vector<Rejection>& rejections) {
    boost::json::object o;
    o["accepted"] = accepted;
    boost::json::array rejected;
    for (const auto& r : rejections) {
        boost::json::object e;
        e["line"] = r.line;
        e["id"] = text::sanitize_utf8(text::truncate_utf8(r.id, 256));
        boost::json::object err;
        err["code"] = error_code_name(r.error.code);
        err["message"] = text::sanitize_utf8(r.error.message);
        if (!r.error.location.empty()) {
            err["field"] = r.error.location;
        }
        e["error"] = std::move(err);
        rejected.push_back(std::move(e));
    }
    o["rejected"] = std::move(rejected);
    return boost::json::serialize(o);
}

} // namespace gazette::indexer::serve
