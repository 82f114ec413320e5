import Foundation
import WhyDeniedReport
import WhyDeniedRunbook
import WhyDeniedRunner
import WhyDeniedSession

/// Carries out the guided session model's work (`GuidedSessionWork`) and answers with the
/// messages the model hears next: loads the runbook, runs each command through the executor of
/// the connection in force, looks for tools on PATH, lists the configured profiles, opens the
/// session folder and writes the journal entries the model decided, and exports the report.
/// It holds the resources (the edges, the executor, the journal), no session state: that is
/// the model's (`GuidedSessionModel`), and `GuidedSessionLoop` feeds one to the other.
///
/// ```swift
/// let driver = GuidedSessionDriver(options: options, environment: env, edges: .live(environment: env, loadRunbook: load))
/// let answers = await driver.perform(.run(request))   // [.commandFinished(outcome)]
/// ```
package actor GuidedSessionDriver {
    package let options: GuidedSessionOptions
    package let environment: [String: String]
    private let edges: GuidedSessionEdges
    private var effects: (any SessionEffects)?
    private var journal: SessionJournal?

    package init(options: GuidedSessionOptions, environment: [String: String], edges: GuidedSessionEdges) {
        self.options = options
        self.environment = environment
        self.edges = edges
    }

    /// The session's folder, once its journal is open.
    package var folder: SessionFolder? { journal?.folder }

    package func perform(_ work: GuidedSessionWork) async -> [GuidedSessionMessage] {
        switch work {
        case .loadRunbook:
            do {
                return [.runbookLoaded(try edges.loadRunbook())]
            } catch {
                return [.runbookFailed("\(error)")]
            }
        case .connect(let connection):
            effects = edges.connect(connection)
            return []
        case .openJournal:
            do {
                let opened = try SessionJournal.create(in: SessionStore(environment: environment))
                journal = opened
                return [.journalOpened(opened.folder)]
            } catch {
                return [.journalFailed("\(error)")]
            }
        case .journal(let writes):
            guard let journal else { return [] }
            journal.carryOut(writes)
            let problems = journal.takeProblems()
            return problems.isEmpty ? [] : [.journalProblems(problems)]
        case .run(let request):
            guard let effects else {
                return [.commandFinished(CommandOutcome(argv: request.argv, ending: .notStarted("no connection"), durationMilliseconds: 0))]
            }
            return [.commandFinished(await effects.run(request))]
        case .checkTools(let request):
            var missing: [String] = []
            for tool in request.tools where !(await effects?.isToolAvailable(tool) ?? false) { missing.append(tool) }
            return [.toolsChecked(request, missing: missing)]
        case .listProfiles(let connection):
            return [.profilesListed(await edges.configuredProfiles(connection))]
        case .exportReport(let runbook):
            return [.reportExported(exportReport(runbook: runbook))]
        case .show:
            return []
        }
    }

    /// Writes the report (Markdown and JSON) into the session folder and says where.
    private func exportReport(runbook: Runbook?) -> String {
        guard let folder = journal?.folder else { return "Nothing to export: the session is not journaled." }
        do {
            let markdown = try ReportExport.write(folder: folder, format: .markdown, maskAccountIDs: false, runbook: runbook)
            let json = try ReportExport.write(folder: folder, format: .json, maskAccountIDs: false, runbook: runbook)
            return "Report written to \(markdown.url.path) and \(json.url.lastPathComponent)"
        } catch {
            return "Export failed: \(error)"
        }
    }
}
