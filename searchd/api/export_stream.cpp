#include "searchd/api/export_stream.hpp"

#include "common/logging.hpp"
#include "searchd/search/engine.hpp"

#include <boost/json.hpp>

namespace gazette::searchd::api {
namespace {

/// What a failed batch leaves at the end of the body: the status line is long gone, so the
/// client sees a truncated file plus, for NDJSON, an error line.
std::string failure_tail(ExportFormat format, const std::string& message) {
    if (format != ExportFormat::ndjson) {
        return {};
    }
    boost::json::object inner;
    inner["code"] = "export_failed";
    inner["message"] = message;
    boost::json::object o;
    o["error"] = std::move(inner);
    return boost::json::serialize(o) + "\n";
}

} // namespace

ExportStream::ExportStream(Engine& engine, std::unique_ptr<ExportCursor> cursor, ExportFormat format,
                           std::vector<ExportField> fields, std::size_t batch_size)
    : engine_(engine), cursor_(std::move(cursor)), format_(format), fields_(std::move(fields)),
      batch_size_(batch_size) {}

void ExportStream::next(std::function<void(std::string chunk, bool last)> deliver) {
    auto self = shared_from_this();
    const bool queued = engine_.submit_job([self, deliver](Searcher&) {
        if (self->cancelled_.load()) {
            return deliver({}, true);
        }
        std::string chunk;
        if (!self->header_sent_) {
            chunk = export_header(self->format_, self->fields_);
            self->header_sent_ = true;
        }
        Result<std::vector<ExportRecord>> batch = Error(ErrorCode::internal, "export failed");
        try {
            batch = self->cursor_->next_batch(self->batch_size_);
        } catch (const std::exception& e) {
            logger("search")->error("export batch failed: {}", e.what());
        } catch (...) {
            // Xapian::Error is not a std::exception.
            logger("search")->error("export batch failed (index error)");
        }
        if (!batch) {
            return deliver(chunk + failure_tail(self->format_, batch.error().message), true);
        }
        for (const auto& record : *batch) {
            chunk += export_record(self->format_, self->fields_, record);
        }
        deliver(std::move(chunk), batch->size() < self->batch_size_);
    });
    if (!queued) {
        deliver(failure_tail(format_, "the search queue is full; export truncated"), true);
    }
}

} // namespace gazette::searchd::api
