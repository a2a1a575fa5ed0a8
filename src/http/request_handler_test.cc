#include "http/request_handler.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "testing/sample_inventory.h"

namespace numberpool::http {
namespace {

class ThrowingAuthenticator final : public Authenticator {
 public:
  std::optional<AuthDenial> Authenticate(const HttpRequest&, std::string_view) const override {
    throw std::runtime_error("boom");
  }
};

class RequestHandlerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_ =
        std::move(inventory::SearchIndex::Build(numberpool::testing::SampleInventory())).value();
    inventory::TokenKey key{};
    tokens_ = std::make_unique<inventory::PageTokenCodec>(key);
    service_ = std::make_unique<api::SearchService>(*index_, *tokens_);
    handler_ = std::make_unique<RequestHandler>(*service_, allow_all_);
  }

  HttpResponse Get(std::string_view target, std::string_view method = "GET") {
    HttpResponse r;
    handler_->Handle({method, target}, r);
    return r;
  }

  AllowAllAuthenticator allow_all_;
  std::unique_ptr<inventory::SearchIndex> index_;
  std::unique_ptr<inventory::PageTokenCodec> tokens_;
  std::unique_ptr<api::SearchService> service_;
  std::unique_ptr<RequestHandler> handler_;
};

TEST_F(RequestHandlerTest, ServesSearch) {
  HttpResponse r = Get("/search?type=phone-numbers&toll-free-prefix=888");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.error_type.empty());
  EXPECT_EQ(r.body, R"({"E164PhoneNumbers":["+18882000004"],"NextToken":null})");
}

TEST_F(RequestHandlerTest, AcceptsAbsoluteForm) {
  EXPECT_EQ(Get("http://127.0.0.1:8080/search?type=phone-numbers&toll-free-prefix=888").status,
            200);
}

TEST_F(RequestHandlerTest, BadRequestIsRestJson) {
  HttpResponse r = Get("/search?type=phone-numbers&area-code=106");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.error_type, "BadRequestException");
  EXPECT_EQ(r.body.rfind(R"({"Code":"BadRequest","Message":"Invalid area-code)", 0), 0u) << r.body;
}

TEST_F(RequestHandlerTest, UnknownPathIs404) {
  for (const char* target : {"/", "/search/", "/Search?type=phone-numbers", "/phone-numbers"}) {
    HttpResponse r = Get(target);
    EXPECT_EQ(r.status, 404) << target;
    EXPECT_EQ(r.error_type, "NotFoundException");
    EXPECT_NE(r.body.find(R"("Code":"NotFound")"), std::string::npos);
  }
}

TEST_F(RequestHandlerTest, OtherMethodsAre405WithAllow) {
  for (const char* method : {"POST", "PUT", "DELETE", "HEAD", "PATCH"}) {
    HttpResponse r = Get("/search?type=phone-numbers&area-code=206", method);
    EXPECT_EQ(r.status, 405) << method;
    EXPECT_EQ(r.allow, "GET");
    EXPECT_FALSE(r.error_type.empty());
  }
}

TEST_F(RequestHandlerTest, MalformedTargetIs400) {
  EXPECT_EQ(Get("*").status, 400);
  EXPECT_EQ(Get("search").status, 400);
  EXPECT_EQ(Get("http://host?x").status, 400);
}

TEST_F(RequestHandlerTest, InternalFailureIs500AndHandlerGoesOn) {
  ThrowingAuthenticator throwing;
  RequestHandler handler(*service_, throwing);
  HttpResponse r;
  handler.Handle({"GET", "/search?type=phone-numbers&area-code=206"}, r);
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.error_type, "ServiceFailureException");
  EXPECT_NE(r.body.find(R"("Code":"ServiceFailure")"), std::string::npos);
  EXPECT_EQ(Get("/search?type=phone-numbers&toll-free-prefix=888").status, 200);
}

TEST(ErrorMapping, StatusesFromTheOperationModel) {
  EXPECT_EQ(ShapeOf(WireError::kBadRequest).status, 400);
  EXPECT_EQ(ShapeOf(WireError::kServiceFailure).status, 500);
  EXPECT_EQ(ShapeOf(WireError::kServiceUnavailable).status, 503);
  EXPECT_EQ(ShapeOf(WireError::kServiceUnavailable).type, "ServiceUnavailableException");
  EXPECT_EQ(ErrorBody("BadRequest", "a \"b\""), R"({"Code":"BadRequest","Message":"a \"b\""})");
}

}  // namespace
}  // namespace numberpool::http
