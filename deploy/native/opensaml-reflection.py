#!/usr/bin/env python3
"""Writes the GraalVM reflection and resource configuration OpenSAML needs in sso-service's native image.

OpenSAML finds its XMLObject builders, marshallers and unmarshallers by class name from its *-config.xml files, and
its initializers through ServiceLoader: nothing a native-image analysis can see. This lists every such class of the
OpenSAML jars sso-service depends on (SAML 2, XML security, core) with its no-argument constructor. Run it again
after an OpenSAML upgrade:  deploy/native/opensaml-reflection.py
"""
import json
import os
import re
import subprocess
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "sso-service/src/main/resources/META-INF/native-image/dev.keyway/sso-service")
WANTED = re.compile(r"^org/opensaml/(core|xmlsec|saml/saml2|saml/common|saml/ext/saml2alg|saml/security)/.*"
                    r"(Builder|Marshaller|Unmarshaller|Impl|Initializer)\.class$")

classpath = os.path.join(ROOT, "sso-service/target/native.classpath")
subprocess.run([os.path.join(ROOT, "mvnw"), "-B", "-q", "dependency:build-classpath", "-pl", "sso-service",
                "-Dmdep.outputFile=" + classpath], check=True, cwd=ROOT)
jars = [jar for jar in open(classpath).read().strip().split(os.pathsep) if "/org/opensaml/" in jar]

classes = set()
for jar in jars:
    with zipfile.ZipFile(jar) as archive:
        for name in archive.namelist():
            if WANTED.match(name) and "$" not in name:
                classes.add(name[:-len(".class")].replace("/", "."))
            if name.startswith("META-INF/services/org.opensaml"):
                for line in archive.read(name).decode().splitlines():
                    if line.strip() and not line.startswith("#"):
                        classes.add(line.strip())

os.makedirs(OUT, exist_ok=True)
with open(os.path.join(OUT, "reflect-config.json"), "w") as out:
    json.dump([{"name": name, "methods": [{"name": "<init>", "parameterTypes": []}]} for name in sorted(classes)],
              out, indent=1)
    out.write("\n")
with open(os.path.join(OUT, "resource-config.json"), "w") as out:
    json.dump({"resources": {"includes": [
        {"pattern": r"^[a-z0-9-]+-config\.xml$"},
        {"pattern": r"^META-INF/services/org\.opensaml\..*$"},
        {"pattern": r"^org/apache/xml/security/resource/.*$"},
    ]}}, out, indent=1)
    out.write("\n")
print(f"{len(classes)} OpenSAML classes registered for reflection in {OUT}")
