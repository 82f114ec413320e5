/// Runs the UI's effects in the outside world (the session driver, the runner, the prefill
/// parser) and reports back through `send`. Implementations may call `send` from any thread;
/// the UI loop applies the messages in order on its own thread.
///
/// ```swift
/// struct Echo: EffectPerformer {
///     func perform(_ effect: Effect, send: @escaping @Sendable (Message) -> Void) {
///         if case .parsePastedText = effect { send(.prefillReady([])) }
///     }
/// }
/// ```
public protocol EffectPerformer: Sendable {
    func perform(_ effect: Effect, send: @escaping @Sendable (Message) -> Void)
}

/// The in-memory backend: the same update/view loop as the terminal, with keys fed by code and
/// the screen kept as a buffer, so tests and benchmarks run the whole UI without a terminal.
/// Effects are handed to `respond`, whose answers are applied at once (synchronously).
///
/// ```swift
/// var ui = InMemoryScreen(state: state) { effect in [] }
/// ui.press(.function(6)); ui.type("AccessDenied")
/// print(ui.screen.text)
/// ```
public struct InMemoryScreen {
    public private(set) var state: GuidedState
    public private(set) var screen: ScreenBuffer
    /// Every effect the UI asked for, in order.
    public private(set) var effects: [Effect] = []
    public var respond: (Effect) -> [Message]

    public init(state: GuidedState, respond: @escaping (Effect) -> [Message] = { _ in [] }) {
        self.state = state
        self.respond = respond
        self.screen = Guided.view(state)
    }

    public mutating func send(_ message: Message) {
        var queue = [message]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            let (newState, newEffects) = Guided.update(state, next)
            state = newState
            effects += newEffects
            for effect in newEffects { queue += respond(effect) }
        }
        screen = Guided.view(state)
    }

    public mutating func press(_ keys: Key...) {
        for key in keys { send(.key(key)) }
    }

    /// Types text one key per character, as a terminal delivers a paste (newlines as Enter).
    public mutating func type(_ text: String) {
        for character in text {
            send(.key(character == "\n" ? .enter : .character(character)))
        }
    }

    /// Pastes text as a terminal with bracketed paste delivers it: one message.
    public mutating func paste(_ text: String) {
        send(.paste(text))
    }

    public mutating func resize(to size: TerminalSize) {
        send(.resized(size))
    }
}
