# An inner catch logs and rethrows; the outer catch still sees the original error.
# expect: ^inner saw UMPIN_SHELL_UNKNOWN_COMMAND$
# expect: ^outer saw UMPIN_SHELL_UNKNOWN_COMMAND$
try {
    try { Set-UMMailboxPINX tonysmith } catch { "inner saw $($_.FullyQualifiedErrorId)"; throw }
} catch {
    "outer saw $($_.FullyQualifiedErrorId)"
}
