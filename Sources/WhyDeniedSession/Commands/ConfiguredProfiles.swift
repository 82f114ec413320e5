import Foundation

/// The AWS CLI profiles configured on this machine, to offer when the session's credentials fail.
/// `aws configure list-profiles` answers on CLI v2; CLI v1 has no such command, so the same names
/// are read from the section headers of the CLI's two files (`[profile audit]` in the config,
/// `[audit]` in the credentials file). Names only: no value of either file is read.
///
/// ```swift
/// ConfiguredProfiles.fromListing("audit\ndev\n")                            // ["audit", "dev"]
/// ConfiguredProfiles.fromFiles(config: "[default]\n[profile dev]\n", credentials: "[ci]\n")
/// // ["default", "dev", "ci"]
/// ```
public enum ConfiguredProfiles {
    /// The command that lists them (CLI-local: it reads files, calls nothing).
    public static let listArgv = ["aws", "configure", "list-profiles"]

    /// `aws configure list-profiles`' output: one name a line.
    public static func fromListing(_ stdout: String) -> [String] {
        unique(stdout.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) })
    }

    /// Section names of the config (`[default]`, `[profile x]`; `[sso-session x]` and
    /// `[services x]` are not profiles) and of the credentials file (`[x]`).
    public static func fromFiles(config: String?, credentials: String?) -> [String] {
        let fromConfig = sections(config ?? "").compactMap { name -> String? in
            if name == "default" { return name }
            let words = name.split(separator: " ", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            return words.count == 2 && words[0] == "profile" ? words[1] : nil
        }
        return unique(fromConfig + sections(credentials ?? ""))
    }

    /// Reads the files the CLI reads: `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, else
    /// `~/.aws/config` and `~/.aws/credentials`.
    public static func fromFiles(environment: [String: String]) -> [String] {
        let home = environment["HOME"].map { URL(fileURLWithPath: $0) }
        func read(_ variable: String, _ fallback: String) -> String? {
            let path = environment[variable].flatMap { $0.isEmpty ? nil : $0 }
                ?? home?.appendingPathComponent(".aws").appendingPathComponent(fallback).path
            return path.flatMap { try? String(contentsOfFile: ($0 as NSString).expandingTildeInPath, encoding: .utf8) }
        }
        return fromFiles(config: read("AWS_CONFIG_FILE", "config"),
                         credentials: read("AWS_SHARED_CREDENTIALS_FILE", "credentials"))
    }

    private static func sections(_ text: String) -> [String] {
        text.split(whereSeparator: \.isNewline).compactMap { raw in
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard line.hasPrefix("["), line.hasSuffix("]"), line.count > 2 else { return nil }
            return line.dropFirst().dropLast().trimmingCharacters(in: .whitespaces)
        }
    }

    private static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { !$0.isEmpty && seen.insert($0).inserted }
    }
}
