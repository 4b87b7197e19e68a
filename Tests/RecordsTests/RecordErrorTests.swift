import Records
import XCTest

/// Whole messages of `RecordError`: sentences end with punctuation and say what to do.
final class RecordErrorTests: XCTestCase {
    func testPathMatchedNothingWithoutASuggestionEndsItsSentence() {
        XCTAssertEqual(RecordError.pathMatchedNothing(field: "body", path: "document", nearest: "", suggestion: nil).description,
                       "field 'body': path 'document' matches nothing. Mark the field `optional: true` or give a fallback with `first:` if some entries lack it.")
    }

    func testPathMatchedNothingWithASuggestion() {
        XCTAssertEqual(RecordError.pathMatchedNothing(field: "id", path: "sourceDataInfo.newsId", nearest: "sourceDataInfo",
                                                      suggestion: "sourceDataInfo.newsID").description,
                       "field 'id': path 'sourceDataInfo.newsId' matches nothing (it stops after 'sourceDataInfo'); did you mean 'sourceDataInfo.newsID'?"
                       + " Mark the field `optional: true` or give a fallback with `first:` if some entries lack it.")
    }

    func testPathMatchedNothingWithOnlyTheNearestPrefix() {
        XCTAssertEqual(RecordError.pathMatchedNothing(field: "x", path: "a.zzz", nearest: "a", suggestion: nil).description,
                       "field 'x': path 'a.zzz' matches nothing (it stops after 'a')."
                       + " Mark the field `optional: true` or give a fallback with `first:` if some entries lack it.")
    }
}
