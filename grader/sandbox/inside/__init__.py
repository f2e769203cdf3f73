"""Code that runs inside the sandbox: the zygote (server), its children (child), the isolation
they apply (isolate) and what the zygote installs before forking (instrument). It imports only
the standard library, numpy, torch and the sandbox's protocol, by relative imports: inside the
sandbox this package is `sandbox.inside`, with nothing else of the grader beside it.
"""
