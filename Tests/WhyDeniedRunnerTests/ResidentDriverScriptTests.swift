import Foundation
import Testing
import WhyDeniedTestSupport
@testable import WhyDeniedRunner

/// The resident driver's look-up caches give botocore's own answers: run in the CLI's Python,
/// the cached `accepts_kwargs` is weighed against botocore's for handlers that share code but not
/// a signature, and the shared alias cache against an aliaser with a table of its own.
@Suite(.enabled(if: MotoTestSandbox.isAvailable, "moto_server or aws is not installed"))
struct ResidentDriverScriptTests {
    static let checks = #"""
import functools, inspect, json
import botocore.compat, botocore.hooks
def with_kwargs(a, **kwargs): pass
def without_kwargs(a): pass
def handler(takes_kwargs):
    if takes_kwargs:
        def made(**kwargs): pass
    else:
        def made(x): pass
    return made
class TakesKwargs:
    def __call__(self, **kwargs): pass
class Strict:
    def __call__(self, x): pass
class Owner:
    def method(self, **kwargs): pass
    def strict(self, x): pass
# The same code as a cached handler, another signature: must not take the cached answer.
replaced = handler(True)
replaced.__signature__ = inspect.signature(without_kwargs)
def wraps_strict(**kwargs): pass
wraps_strict.__wrapped__ = without_kwargs
handlers = [with_kwargs, without_kwargs, handler(True), handler(False), handler(True), replaced,
            functools.partial(with_kwargs, 1), functools.partial(without_kwargs), TakesKwargs(), Strict(),
            Owner().method, Owner().strict, wraps_strict, TakesKwargs(), print]
def answer(lookup, value):
    try:
        return bool(lookup(value))
    except TypeError:
        return "TypeError"
uncached = [answer(botocore.compat.accepts_kwargs, h) for h in handlers]
cached = [[answer(botocore.hooks.accepts_kwargs, h) for h in handlers] for _ in range(2)]
emitter = botocore.hooks.HierarchicalEmitter()
default = botocore.hooks.EventAliaser(emitter)
other_default = botocore.hooks.EventAliaser(emitter)
own = botocore.hooks.EventAliaser(emitter, {"thing": "renamed"})
names = ["before-call.thing.Op", "before-call.api.sagemaker.Op", "before-call.s3.GetObject"]
print(json.dumps({
    "patched": botocore.hooks.accepts_kwargs is not botocore.compat.accepts_kwargs,
    "uncached": uncached, "cached": cached,
    "default": [default._alias_event_name(n) for n in names],
    "other_default": [other_default._alias_event_name(n) for n in names],
    "own": [own._alias_event_name(n) for n in names],
    "shared": default._alias_name_cache is other_default._alias_name_cache,
    "own_shared": own._alias_name_cache is default._alias_name_cache,
}))
"""#

    @Test func theCachesAnswerAsBotocoreDoes() async throws {
        let aws = try #require(ExecutableLocator.find("aws", path: ProcessInfo.processInfo.environment["PATH"]))
        let python = AWSCLIEntryPoint.interpreter(of: aws, path: ProcessInfo.processInfo.environment["PATH"])
        let run = try await TestProcess.running(python, ["-c", ResidentDriverScript.handlerCaches + "\n" + Self.checks])
        #expect(run.status == 0, "\(run.stderr)")
        let line = run.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let result = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(run.output)")
        #expect(result["patched"] as? Bool == true)
        let uncached = (result["uncached"] as? [Any]).map { $0.map { "\($0)" } }
        let cached = (result["cached"] as? [[Any]]).map { $0.map { $0.map { "\($0)" } } }
        // True, false, and the replaced signature false although its code was cached as true.
        #expect(uncached?[0] == "1" && uncached?[1] == "0" && uncached?[5] == "0", "\(uncached ?? [])")
        #expect(cached?.first == uncached && cached?.last == uncached, "cached \(cached ?? []) vs \(uncached ?? [])")
        #expect(result["shared"] as? Bool == true)
        #expect(result["own_shared"] as? Bool == false)
        let defaultNames = result["default"] as? [String]
        #expect(defaultNames == result["other_default"] as? [String])
        #expect(defaultNames?[0] == "before-call.thing.Op" && defaultNames?[1] == "before-call.sagemaker.Op", "\(defaultNames ?? [])")
        #expect((result["own"] as? [String])?[0] == "before-call.renamed.Op")
    }
}
