@testable import KubeAPI

/// A small deterministic generator (SplitMix64) so that every fuzz run sees the same inputs.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// String mutations: insert, delete, replace, duplicate, truncate, splice, random text.
struct StringMutator {
    var generator: SeededGenerator
    let seeds: [String]
    /// Fragments worth inserting: the grammar's own characters plus troublemakers.
    let fragments: [String]

    init(seed: UInt64, seeds: [String], fragments: [String]) {
        generator = SeededGenerator(seed: seed)
        self.seeds = seeds
        self.fragments = fragments + [
            " ", "\t", "\n", "\u{0}", "é", "\u{00B5}", "９", "-", "+", ".", "e", "E", "9999999999999999999999",
            "00000000000000000000", String(repeating: "9", count: 80), "\u{FFFD}", "\\", "\"", "%", "💥",
        ]
    }

    mutating func next() -> String {
        let base = seeds.randomElement(using: &generator) ?? ""
        var characters = Array(base)
        let rounds = Int.random(in: 1...4, using: &generator)
        for _ in 0..<rounds {
            let position = characters.isEmpty ? 0 : Int.random(in: 0...characters.count, using: &generator)
            switch Int.random(in: 0..<8, using: &generator) {
            case 0, 1:
                let fragment = fragments.randomElement(using: &generator) ?? ""
                characters.insert(contentsOf: fragment, at: position)
            case 2:
                if position < characters.count { characters.remove(at: position) }
            case 3:
                if position < characters.count {
                    characters[position] = Array(fragments.randomElement(using: &generator) ?? "x").first ?? "x"
                }
            case 4:
                let end = min(characters.count, position + Int.random(in: 1...6, using: &generator))
                characters.insert(contentsOf: characters[position..<end], at: position)
            case 5:
                characters = Array(characters.prefix(position))
            case 6:
                let other = Array(seeds.randomElement(using: &generator) ?? "")
                let cut = other.isEmpty ? 0 : Int.random(in: 0...other.count, using: &generator)
                characters = Array(characters.prefix(position)) + other.suffix(from: cut)
            default:
                let length = Int.random(in: 0...12, using: &generator)
                characters = (0..<length).compactMap { _ in
                    (fragments.randomElement(using: &generator) ?? "").first
                }
            }
        }
        return String(characters)
    }
}

/// One step into a JSON tree.
enum JSONStep: Hashable, Sendable {
    case key(String)
    case index(Int)
}

extension JSONValue {
    /// Every path in the tree (objects' members and arrays' elements, recursively).
    func allPaths(prefix: [JSONStep] = []) -> [[JSONStep]] {
        switch self {
        case .object(let members):
            return members.keys.sorted().flatMap { key in
                [prefix + [.key(key)]] + (members[key] ?? .null).allPaths(prefix: prefix + [.key(key)])
            }
        case .array(let items):
            return items.indices.flatMap { index in
                [prefix + [.index(index)]] + items[index].allPaths(prefix: prefix + [.index(index)])
            }
        default:
            return []
        }
    }

    /// The tree with the value at `path` replaced (or removed when `replacement` is nil).
    func replacing(_ path: ArraySlice<JSONStep>, with replacement: JSONValue?) -> JSONValue {
        guard let step = path.first else { return replacement ?? .null }
        switch (self, step) {
        case (.object(var members), .key(let key)):
            if path.count == 1, replacement == nil {
                members.removeValue(forKey: key)
            } else {
                members[key] = (members[key] ?? .null).replacing(path.dropFirst(), with: replacement)
            }
            return .object(members)
        case (.array(var items), .index(let index)) where items.indices.contains(index):
            if path.count == 1, replacement == nil {
                items.remove(at: index)
            } else {
                items[index] = items[index].replacing(path.dropFirst(), with: replacement)
            }
            return .array(items)
        default:
            return self
        }
    }
}

/// A path the way ``DecodingProblem`` prints it: `spec.metrics[0].resource`.
func pathText(_ path: [JSONStep]) -> String {
    var text = ""
    for step in path {
        switch step {
        case .key(let key): text += text.isEmpty ? key : "." + key
        case .index(let index): text += "[\(index)]"
        }
    }
    return text
}

/// Values that do not belong where they are put.
let junkValues: [JSONValue] = [
    .null, .bool(true), .integer(0), .integer(-1), .integer(Int64.max), .integer(Int64.min), .double(1e300),
    .double(-0.5), .double(3.5), .string(""), .string("1x"), .string("--1"), .string("1e2147483647"),
    .string("9999-99-99T99:99:99Z"), .string("2026-01-01T00:00:00"), .string("1.5.5Ki"), .string("1e-5000"),
    .string("notanumber"), .string("15.012"), .string("999999999999999999999h"), .string("In"), .string("Max"),
    .array([]), .array([.null]), .object([:]), .object(["type": .string("Bogus")]),
]
