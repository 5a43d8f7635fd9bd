#include "indexer/jobs/job_control.hpp"

namespace gazette::indexer {

const char* job_outcome_name(JobOutcome outcome) noexcept {
    switch (outcome) {
    case JobOutcome::published:
        return "published";
    case JobOutcome::built:
        return "built";
    case JobOutcome::refused:
        return "refused";
    case JobOutcome::cancelled:
        return "cancelled";
    }
    return "unknown";
}

void run_exclusive(const ExclusiveSection& section, const std::function<void()>& critical) {
    if (section) {
        section(critical);
    } else {
        critical();
    }
}

} // namespace gazette::indexer
