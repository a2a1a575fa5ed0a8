// numberpool/testing/temp_dir.h
//
// A fresh private directory under the test's temporary directory, removed when the TempDir
// goes out of scope.
//
// Thread-safety: each instance is independent.

#ifndef NUMBERPOOL_TESTING_TEMP_DIR_H_
#define NUMBERPOOL_TESTING_TEMP_DIR_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>

namespace numberpool::testing {

class TempDir final {
 public:
  TempDir() {
    std::string pattern = ::testing::TempDir() + "/numberpool_XXXXXX";
    if (!mkdtemp(pattern.data())) std::abort();
    path_ = pattern;
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace numberpool::testing

#endif  // NUMBERPOOL_TESTING_TEMP_DIR_H_
