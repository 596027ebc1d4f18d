// Test support for error paths: error_of<Error>(fn) runs fn and returns the message of the Error
// it throws, so a test checks the exception's type and its text in one expectation. Included by
// *_test.cpp files only.
#pragma once

#include <exception>
#include <string>

namespace ember::test_support {

// The message of the Error that fn throws; "wrong error type: ..." for another exception and
// "no error" when fn returns.
template <typename Error, typename Fn>
std::string error_of(Fn&& fn) {
  try {
    fn();
  } catch (const Error& error) {
    return error.what();
  } catch (const std::exception& error) {
    return std::string("wrong error type: ") + error.what();
  }
  return "no error";
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace ember::test_support
