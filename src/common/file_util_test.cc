#include "common/file_util.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>

#include "testing/temp_dir.h"

namespace numberpool {
namespace {

TEST(FileUtil, WritesAtomicallyWithMode) {
  const numberpool::testing::TempDir temp;
  const std::string& dir = temp.path();
  const std::string path = dir + "/f";
  ASSERT_TRUE(WriteFileAtomically(path, "one", 0600).ok());
  ASSERT_TRUE(WriteFileAtomically(path, "two", 0600).ok());
  auto content = ReadFile(path);
  ASSERT_TRUE(content.ok());
  EXPECT_EQ(*content, "two");
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  // No temporary file is left behind.
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), {}), 1);
}

TEST(FileUtil, ReadMissingIsNotFound) {
  auto r = ReadFile("/nonexistent/numberpool/file");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().kind(), ErrorKind::kNotFound);
}

TEST(FileUtil, EnsureDirectoryRejectsAFile) {
  const numberpool::testing::TempDir temp;
  const std::string& dir = temp.path();
  ASSERT_TRUE(WriteFileAtomically(dir + "/f", "x", 0644).ok());
  EXPECT_TRUE(EnsureDirectory(dir + "/a/b").ok());
  Status s = EnsureDirectory(dir + "/f");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().kind(), ErrorKind::kIo);
}

TEST(FileUtil, DirName) {
  EXPECT_EQ(DirName("a/b/c"), "a/b");
  EXPECT_EQ(DirName("c"), ".");
  EXPECT_EQ(DirName("/c"), "/");
}

}  // namespace
}  // namespace numberpool
