#include <gtest/gtest.h>

#include <string>

#include "domain/dossier/file_type.hpp"

namespace motcua::dossier {
namespace {

using namespace std::string_literals;

TEST(FileType, KnowsPdfJpegAndPngByTheirFirstBytes) {
  EXPECT_EQ(sniff_file_type("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj"s)->media_type,
            "application/pdf");
  EXPECT_EQ(sniff_file_type("\xFF\xD8\xFF\xE0\x00\x10JFIF"s)->media_type, "image/jpeg");
  EXPECT_EQ(sniff_file_type("\xFF\xD8\xFF\xE1\x00\x10"
                            "Exif"s)
                ->extension,
            "jpg");
  EXPECT_EQ(sniff_file_type("\x89PNG\r\n\x1A\n\x00\x00\x00\rIHDR"s)->media_type, "image/png");
}

TEST(FileType, APdfHeaderAfterAFewBytesStillCounts) {
  EXPECT_TRUE(sniff_file_type("\r\n\r\n%PDF-1.4 rest"s));
  EXPECT_FALSE(sniff_file_type(std::string(2000, ' ') + "%PDF-1.4"));
}

TEST(FileType, APdfHeaderAfterOtherContentIsNotAPdf) {
  EXPECT_FALSE(sniff_file_type("<html><script>alert(1)</script>%PDF-1.4\n%%EOF\n"s));
  EXPECT_FALSE(sniff_file_type("MZ\x90\x00%PDF-1.4"s));
}

TEST(FileType, EverythingElseIsRefused) {
  for (const std::string& bytes :
       {""s, "hello"s, "MZ\x90\x00 this is an exe"s, "PK\x03\x04 a zip or docx"s, "GIF89a"s,
        "<html><body>%PDF-"s.substr(0, 10), "\x89PNG\r\n"s, "\xFF\xD8"s, "{\"json\":true}"s}) {
    EXPECT_FALSE(sniff_file_type(bytes)) << bytes;
  }
}

}  // namespace
}  // namespace motcua::dossier
