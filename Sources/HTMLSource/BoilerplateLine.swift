import Foundation

/// Lines around article text that are not the article: share and copy-link buttons, bylines
/// alone on their line, copyright notices, "related articles" headings.
enum BoilerplateLine {
    /// Whole lines that are page controls (compared without spaces, lowercased).
    static let controls: Set<String> = ["url복사", "url복사하기", "링크복사", "주소복사", "copyurl", "copylink", "copylinkurl", "공유", "공유하기",
                                        "기사공유", "기사공유하기", "스크랩", "인쇄", "프린트", "글자크기", "글씨크기", "본문글씨크기", "좋아요",
                                        "댓글", "구독", "구독하기", "share", "sharethis", "tweet", "print", "email", "facebook", "twitter",
                                        "페이스북", "트위터", "카카오톡", "카카오스토리", "네이버밴드", "밴드", "닫기", "close", "advertisement",
                                        "광고", "관련기사", "관련뉴스", "관련 기사", "이시각주요뉴스", "많이본뉴스", "추천기사", "readmore",
                                        "relatedarticles", "relatedstories", "moreonthisstory", "맨위로", "top", "기사제보", "제보하기"]

    nonisolated(unsafe) private static let byline = try! NSRegularExpression(pattern:
        #"^(\([^()]{1,20}\)\s*)?([가-힣]{2,4}\s*[,·]?\s*)+(기자|특파원|선임기자|논설위원|객원기자|인턴기자|통신원)\s*=?\s*([\w.+-]+@[\w-]+(\.[\w-]+)+)?$"#
        + #"|^[\w.+-]+@[\w-]+(\.[\w-]+)+$|^(by\s+|(글|사진)\s*[:=/]\s*)[\p{L} .'-]{2,40}$"#,
        options: [.caseInsensitive])
    nonisolated(unsafe) private static let copyright = try! NSRegularExpression(pattern:
        #"무단\s*전재|재배포\s*금지|재배포금지|all rights reserved|copyright\s*(©|ⓒ|\(c\))|^(©|ⓒ)"#, options: [.caseInsensitive])

    /// Dates, times and their labels ("입력 2024.05.03 10:00 수정 …", "Updated 3:12 PM"): a line of
    /// nothing else is a dateline.
    nonisolated(unsafe) private static let dateParts = try! NSRegularExpression(pattern:
        #"\d{4}\s*[-./년]\s*\d{1,2}\s*[-./월]\s*\d{1,2}\s*일?\.?|\d{1,2}:\d{2}(:\d{2})?|오전|오후|\b(am|pm|edt|est|gmt|utc|kst)\b|입력|수정|등록|승인|업데이트|기사입력|최종수정|송고|\b(updated|published|posted)\b|[():|·,]"#,
        options: [.caseInsensitive])

    /// A line that is one bracketed phrase: a photo credit ("[연합뉴스 자료사진]"), an editor's
    /// credit ("【责任编辑:张樵苏】"), an end mark ("(끝)", "(END)").
    nonisolated(unsafe) private static let bracketed = try! NSRegularExpression(pattern:
        #"^[\[【〔(（<〈][^\[\]【】〔〕()（）<>〈〉]{1,40}[\]】〕)）>〉]$"#)

    static func matches(_ line: String) -> Bool {
        let compact = line.lowercased().filter { !$0.isWhitespace && !"▶►▷·|/[]【】<>".contains($0) }
        if compact.isEmpty || controls.contains(compact) { return true }
        // No letters at all ("—", a byte-order mark), or a short number (a gallery's "8 of 14").
        if !line.contains(where: \.isLetter), !line.contains(where: \.isNumber) || line.count <= 3 { return true }
        let range = NSRange(location: 0, length: (line as NSString).length)
        if byline.firstMatch(in: line, range: range) != nil || bracketed.firstMatch(in: line, range: range) != nil { return true }
        if line.count < 80, line.contains(where: \.isNumber),
           dateParts.stringByReplacingMatches(in: line, range: range, withTemplate: "").allSatisfy(\.isWhitespace) {
            return true
        }
        return line.count < 120 && copyright.firstMatch(in: line, range: range) != nil
    }
}
