// The file routes of dossiers:
//   POST /api/v1/attachments                      upload (raw bytes, X-File-Name) attachment.upload
//   GET  /api/v1/attachments/{sha256}/meta        one's own upload attachment.upload GET
//   /api/v1/dossiers/{code}/attachments/{sha256}
//                                                 a file the dossier references    dossier.read
// An upload answers 201 when its bytes are new and 200 when they were stored
// before; 400 empty, 413 over the limit, 415 not PDF, JPEG or PNG. A staff
// download is a view of personal data and is logged.
#pragma once

#include <cstddef>

#include "http/router.hpp"
#include "services/attachment_service.hpp"
#include "services/dossier_service.hpp"
#include "services/personal_data_log.hpp"

namespace motcua::api {

void add_attachment_routes(http::Router& router, services::AttachmentService& files,
                           services::DossierService& dossiers, services::PersonalDataLog& views);

}  // namespace motcua::api
