"""Add skills, effort hours and dependencies to careers/catalog/catalog.json, from the seeds.

    .venv/bin/python -m tools.enrich_catalog   # rewrites the file in place

Run once to write the data; staff curate it in the admin afterwards. It is kept so the
reasoning behind every figure can be read and re-run on a fresh copy of the file:

- Skills: every skill the seeds name (required backgrounds, transferable skills, skills to
  learn), named as the seeds say them. `typical_weeks` is the seed's own "N weeks" where a
  skill to learn gives one, else an estimate at the same part-time pace.
- Effort: the seeds count in weeks of part-time study; at ~8 hours a week, a skill that
  "takes 12 weeks" is ~96 hours. A course or study task teaching a skill takes the skill's
  weeks x 8 hours, less what the transition says it already covers; projects, writing and
  applications have fixed estimates below; a resource is the hour or two of finding and
  setting it up (the work with it is counted once, in its task).
- Dependencies: a practice task (build, implement, publish, apply...) depends on the learning
  task of an earlier phase that teaches one of its skills; an action-plan step depends on the
  earlier-horizon step it finishes ("Finish the course" after "Enroll in the course"). Plus
  a few orders the guides state outright (OVERRIDES).

The result is written in the exporter's format (key order, skill order, omitted defaults),
so `load_catalog` then `export_catalog` gives the same bytes.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

CATALOG = Path(__file__).resolve().parent.parent / "careers" / "catalog" / "catalog.json"
HOURS_A_WEEK = 8

# slug, name (as the seeds say it), area, typical weeks, one-line description
SKILLS = [
    ("python", "Python programming", "programming", 12, "Writing idiomatic Python: the language nearly every ML library and research codebase uses."),  # fmt: skip
    ("system-design", "System design", "programming", 8, "Designing scalable systems and pipelines that handle large models and datasets reproducibly."),  # fmt: skip
    ("problem-solving", "Problem solving", "programming", 8, "A debugging mindset: finding why a system behaves as it does and proposing a fix."),  # fmt: skip
    ("version-control", "Version control (git)", "programming", 2, "Tracking code in git and sharing it on GitHub."),  # fmt: skip
    ("ci-cd", "CI/CD pipelines", "programming", 4, "Automated testing and deployment, so changes are checked and shipped the same way every time."),  # fmt: skip
    ("docker", "Containerisation (Docker)", "infrastructure", 4, "Packaging a model or service with its dependencies in a Docker container."),  # fmt: skip
    ("production-systems", "Building production systems", "programming", 12, "Engineering robust software that serves real users, not just notebooks."),  # fmt: skip
    ("implementation-skills", "Implementation skills to validate research ideas", "programming", 8, "Turning a research idea into working code and experiments that test it."),  # fmt: skip
    ("statistical-foundations", "Statistical foundations: probability, linear algebra, calculus", "math", 8, "The maths under machine learning: probability, linear algebra and calculus."),  # fmt: skip
    ("statistical-analysis", "Statistical analysis", "math", 4, "Analysing experiment results with statistics, e.g. with Python's statsmodels."),  # fmt: skip
    ("deep-math", "Deep mathematical foundations: linear algebra, probability theory, optimisation, information theory", "math", 16, "Mathematics at research depth, as AI research scientists need it."),  # fmt: skip
    ("python-data-stack", "Python data stack (numpy, pandas, scikit-learn)", "data", 6, "The core libraries for data work and classical ML in Python."),  # fmt: skip
    ("ml-frameworks", "ML frameworks (PyTorch or TensorFlow)", "ml", 8, "Building and training neural networks in PyTorch or TensorFlow."),  # fmt: skip
    ("deep-learning", "Deep learning fundamentals", "ml", 12, "How neural networks are built, trained and debugged."),  # fmt: skip
    ("model-training", "Model training and evaluation", "ml", 10, "Training models on real data and evaluating them properly."),  # fmt: skip
    ("applied-ml", "Applied ML experience", "ml", 12, "Having used machine learning on real problems in practice."),  # fmt: skip
    ("model-architectures", "Model architectures and training techniques", "ml", 10, "The architectures and training methods current research builds on."),  # fmt: skip
    ("interpretability-methods", "AI interpretability methods", "ml", 10, "Explaining model decisions with methods and libraries such as LIME, SHAP and Captum."),  # fmt: skip
    ("safety-techniques", "Mechanistic interpretability, formal verification or RLHF techniques", "ml", 12, "The technical methods safety research emphasises."),  # fmt: skip
    ("ai-safety-fundamentals", "AI safety fundamentals", "research", 10, "Alignment, interpretability, robustness, and governance and strategy: the areas of AI safety."),  # fmt: skip
    ("ml-fundamentals", "ML fundamentals", "ml", 8, "Enough machine learning to understand how models work, without building them."),  # fmt: skip
    ("ml-capabilities", "Understanding of ML capabilities and limitations", "ml", 6, "Knowing what is feasible and what is still a research problem."),  # fmt: skip
    ("ai-technical-literacy", "AI technical literacy", "ml", 12, "Technical fluency in ML: enough to hold substantive conversations with ML teams."),  # fmt: skip
    ("ai-systems-understanding", "Deep understanding of AI systems: capabilities and failure modes", "ml", 12, "Deep familiarity with what AI systems can do and how they fail, without necessarily building them."),  # fmt: skip
    ("comfort-with-data", "Analytical skills and comfort with data", "data", 8, "Reasoning from data and numbers to decisions."),  # fmt: skip
    ("data-pipelines", "Data pipeline construction", "data", 6, "Building the pipelines that feed data into model training."),  # fmt: skip
    ("advanced-visualization", "Advanced visualization", "data", 6, "Interactive visualisation (Plotly, D3.js) of model attention and feature importance."),  # fmt: skip
    ("model-serving", "Deployment infrastructure: serving models via APIs", "infrastructure", 6, "Putting a trained model behind an API that real users can call."),  # fmt: skip
    ("cloud-ml", "Cloud platforms (AWS, GCP, or Azure) and ML infrastructure (MLflow, Kubeflow, Vertex AI)", "infrastructure", 8, "Running ML workloads on a cloud platform with ML-specific tooling."),  # fmt: skip
    ("monitoring", "Monitoring for performance drift and A/B testing", "infrastructure", 4, "Watching a deployed model's performance and testing changes against it."),  # fmt: skip
    ("research-methodology", "Research methodology", "research", 8, "Reading papers, forming questions and running rigorous experiments."),  # fmt: skip
    ("research-literature", "Familiarity with current research literature (ArXiv)", "research", 8, "Keeping up with current papers on arXiv and at top venues."),  # fmt: skip
    ("publication-record", "Publication record", "research", 20, "Published research, as preprints and at top venues (NeurIPS, ICML, ICLR, CVPR)."),  # fmt: skip
    ("academic-writing", "Academic writing", "research", 4, "Writing up experiments clearly, in papers and research-style blog posts."),  # fmt: skip
    ("research-skills", "Research skills", "research", 12, "Framing questions, gathering evidence and analysing it rigorously."),  # fmt: skip
    ("intersection-research", "Research at the intersection of your field and AI", "research", 16, "Publishing where your discipline meets AI: ethics, social science, legal analysis."),  # fmt: skip
    ("governance-research", "AI governance and strategy research", "policy", 12, "Which institutional structures, norms and regulations would make advanced AI safer."),  # fmt: skip
    ("ai-community", "Engaging with the AI research community", "research", 4, "Taking part through papers, forums, conferences, open source and social media."),  # fmt: skip
    ("product-management", "Product management experience", "product", 12, "Owning a product's direction, from discovery to launch."),  # fmt: skip
    ("product-strategy", "Product strategy and roadmaps", "product", 8, "Setting a product's strategy and the roadmap that delivers it."),  # fmt: skip
    ("success-metrics", "Defining success metrics", "product", 4, "Choosing the measures that say whether a product works."),  # fmt: skip
    ("prioritisation", "Prioritisation and stakeholder work", "product", 8, "Deciding what comes first, with business stakeholders, users and technical teams."),  # fmt: skip
    ("how-ai-products-work", "How AI products work", "product", 6, "How AI products work, not just what they do."),  # fmt: skip
    ("feasibility", "Evaluating feasibility claims", "product", 4, "Asking ML engineers good questions and judging what they say is possible."),  # fmt: skip
    ("domain-expertise", "Domain expertise", "product", 6, "Knowledge of an industry (e.g. healthcare) an AI product serves."),  # fmt: skip
    ("collaboration", "Collaboration across teams", "product", 4, "Working with engineers, researchers, stakeholders and users towards one goal."),  # fmt: skip
    ("communication", "Communicating complex ideas to diverse audiences", "product", 6, "Explaining technical findings and risks to non-technical people."),  # fmt: skip
    ("strategy", "Strategy work", "product", 8, "Advising organisations and building frameworks for their decisions."),  # fmt: skip
    ("ethics-grounding", "Ethical rigour: grounding in ethics, philosophy, sociology, law or public policy", "policy", 10, "The disciplinary grounding AI ethics work stands on."),  # fmt: skip
    ("public-policy", "Public policy and regulation", "policy", 12, "How policy is developed and regulation made, and how to engage policymakers and regulators."),  # fmt: skip
    ("policy-writing", "Policy writing and analysis", "policy", 6, "Analysing a question and writing it up for decision-makers."),  # fmt: skip
    ("bias-fairness", "Bias and fairness assessment", "policy", 6, "Assessing AI outputs for bias and fairness."),  # fmt: skip
    ("privacy", "Privacy implications of data practices", "policy", 4, "Evaluating what a data practice means for people's privacy."),  # fmt: skip
    ("ethical-review", "Ethical review frameworks", "policy", 4, "Frameworks for reviewing AI products before and after launch."),  # fmt: skip
    ("ai-ethics-writing", "Published writing on AI ethics", "policy", 8, "Public writing (Substack, institutes' publications) that establishes credibility."),  # fmt: skip
]  # fmt: skip

# What each role requires (AI roles, from "Required background") or what people in it usually
# have (backgrounds, from the transitions' transferable skills).
ROLE_SKILLS = {
    "ai-interpretability-researcher": ["python", "system-design", "problem-solving", "deep-learning", "interpretability-methods", "research-methodology"],  # fmt: skip
    "machine-learning-engineer": ["python", "python-data-stack", "ml-frameworks", "statistical-foundations", "version-control", "ci-cd", "docker", "cloud-ml", "data-pipelines", "model-training", "model-serving", "monitoring"],  # fmt: skip
    "ai-research-scientist": ["deep-math", "publication-record", "research-literature", "implementation-skills", "model-architectures"],  # fmt: skip
    "ai-product-manager": ["product-management", "comfort-with-data", "ml-capabilities", "domain-expertise"],  # fmt: skip
    "ai-ethicist": ["ethics-grounding", "ai-systems-understanding", "research-skills", "communication"],  # fmt: skip
    "ai-safety-researcher": ["deep-math", "research-literature", "safety-techniques", "ai-safety-fundamentals", "governance-research", "ai-technical-literacy"],  # fmt: skip
    "software-engineer": ["python", "system-design", "problem-solving", "version-control", "ci-cd", "docker", "production-systems", "implementation-skills", "collaboration"],  # fmt: skip
    "data-scientist": ["python", "python-data-stack", "statistical-foundations", "applied-ml", "comfort-with-data", "implementation-skills", "ml-capabilities", "collaboration"],  # fmt: skip
    "consultant-strategy": ["comfort-with-data", "strategy", "domain-expertise", "collaboration", "communication", "research-skills"],  # fmt: skip
    "academic-non-cs": ["ethics-grounding", "research-skills", "communication"],
    "product-manager": ["product-management", "product-strategy", "success-metrics", "prioritisation", "collaboration", "comfort-with-data", "domain-expertise"],  # fmt: skip
    "policy": ["public-policy", "policy-writing", "communication", "ethics-grounding"],
}  # fmt: skip

# A transferable skill's or skill to learn's name -> its Skill.
NAMED = {
    "Python Programming": "python", "Python programming": "python", "System Design": "system-design",
    "Problem Solving": "problem-solving", "Debugging mindset": "problem-solving",
    "CI/CD Practices": "ci-cd", "Collaboration": "collaboration",
    "Version control (git)": "version-control", "CI/CD pipelines": "ci-cd",
    "Containerisation (Docker)": "docker", "Building production systems": "production-systems",
    "Applied ML experience": "applied-ml", "Practical ML experience": "applied-ml",
    "Python data stack (numpy, pandas, scikit-learn)": "python-data-stack", "Python data stack": "python-data-stack",
    "Statistical foundations": "statistical-foundations", "Statistics and probability": "statistical-foundations",
    "Comfort with data": "comfort-with-data",
    "Implementation skills to validate research ideas": "implementation-skills",
    "Implementation skills": "implementation-skills", "Engineering rigour": "production-systems",
    "Engineering experience": "production-systems",
    "Product management experience": "product-management",
    "Strategy, roadmaps and success metrics": "product-strategy",
    "Working across technical teams, stakeholders and users": "collaboration",
    "Analytical skills and comfort with data": "comfort-with-data",
    "Strong analytical skills and comfort with data": "comfort-with-data",
    "Domain expertise": "domain-expertise", "Technical credibility": "implementation-skills",
    "Understanding of ML capabilities and limitations": "ml-capabilities",
    "Working with ML engineers": "collaboration", "Stakeholder management": "prioritisation",
    "Strategy work": "strategy", "Advising organisations": "strategy",
    "Communicating to diverse audiences": "communication", "Analytical and research skills": "research-skills",
    "Framework building": "strategy", "Disciplinary grounding": "ethics-grounding",
    "Research skills": "research-skills", "Rigorous analytical skills": "research-skills",
    "Communicating complex ideas": "communication", "Public policy background": "public-policy",
    "Policy development and regulation": "public-policy",
    "Engaging with policymakers and regulators": "public-policy",
    "Communicating to non-technical audiences": "communication", "Policy background": "public-policy",
    "Understanding institutions and regulation": "public-policy",
    "Policy writing and analysis": "policy-writing",
    # skills to learn
    "Research Methodology": "research-methodology", "Advanced Visualization": "advanced-visualization",
    "Deep Learning Fundamentals": "deep-learning", "AI Interpretability Methods": "interpretability-methods",
    "Statistical Analysis": "statistical-analysis", "Academic Writing": "academic-writing",
    "Statistical foundations: probability, linear algebra, calculus": "statistical-foundations",
    "ML frameworks (PyTorch or TensorFlow) and numpy, pandas, scikit-learn": "ml-frameworks",
    "Model training and evaluation": "model-training",
    "Cloud ML infrastructure (AWS, GCP, or Azure; MLflow, Kubeflow, Vertex AI)": "cloud-ml",
    "Monitoring for performance drift and A/B testing": "monitoring",
    "Version control (git) and CI/CD pipelines": "ci-cd",
    "Deployment infrastructure: serving models via APIs": "model-serving",
    "Data pipeline construction": "data-pipelines",
    "Cloud platforms (AWS, GCP, or Azure) and MLflow, Kubeflow, Vertex AI": "cloud-ml",
    "Deep mathematical foundations: linear algebra, probability theory, optimisation, information theory": "deep-math",
    "Familiarity with current research literature (ArXiv)": "research-literature",
    "Publication record": "publication-record",
    "Model architectures and training techniques": "model-architectures",
    "ML foundations: statistics, ML frameworks and model training": "model-training",
    "ML fundamentals (to understand capabilities, not to build)": "ml-fundamentals",
    "ML capabilities and limitations: what is feasible, what is a research problem": "ml-capabilities",
    "How AI products work, not just what they do": "how-ai-products-work",
    "Evaluating feasibility claims and prioritising AI work": "feasibility",
    "Product strategy and roadmaps": "product-strategy", "Defining success metrics": "success-metrics",
    "Prioritisation and stakeholder work": "prioritisation", "Technical fluency in ML": "ai-technical-literacy",
    "Product management: roadmaps, success metrics, prioritisation": "product-strategy",
    "Deep understanding of AI systems: capabilities and failure modes": "ai-systems-understanding",
    "Ethical rigour: grounding in ethics, philosophy, sociology, law or public policy": "ethics-grounding",
    "Bias, fairness and privacy assessment": "bias-fairness", "Published writing on AI ethics": "ai-ethics-writing",
    "Technical fluency: AI capabilities and failure modes": "ai-systems-understanding",
    "Research at the intersection of your field and AI": "intersection-research",
    "Applied ethics tasks: bias, fairness, privacy, review frameworks": "bias-fairness",
    "Public-facing writing": "ai-ethics-writing", "Bias and fairness assessment": "bias-fairness",
    "Privacy implications of data practices": "privacy", "Ethical review frameworks": "ethical-review",
    "AI safety fundamentals": "ai-safety-fundamentals",
    "Mechanistic interpretability, formal verification or RLHF techniques": "safety-techniques",
    "Mathematical foundations: linear algebra, probability theory, optimisation": "deep-math",
    "Research literature (ArXiv)": "research-literature", "Serious AI technical literacy": "ai-technical-literacy",
    "The technical safety areas: alignment, interpretability, robustness": "ai-safety-fundamentals",
    "AI governance and strategy research": "governance-research",
    "Foundational AI safety ideas": "ai-safety-fundamentals",
}  # fmt: skip

# Title patterns -> (hours, skills), first match wins. Hours None: a learning task, whose hours
# are the weeks the transition gives the skill (or the skill's typical weeks) x HOURS_A_WEEK.
TASK_RULES = [
    (r"deep learning specialization", None, ["deep-learning", "ml-frameworks"]),
    (r"^(enroll|start|enrol).*(course|specialization|crash course)", 2, None),
    (r"fast\.ai|deeplearning\.ai", None, ["deep-learning", "ml-frameworks"]),
    (r"machine learning crash course|ml fundamentals|crash course", None, ["ml-fundamentals"]),
    (r"hugging face tutorials", 40, ["ml-frameworks", "model-training"]),
    (r"basic neural networks|image classifier", 24, ["ml-frameworks", "deep-learning"]),
    (r"'interpretable machine learning' book", 30, ["interpretability-methods"]),
    (r"udacity|interpretability and explainability in ai course", None, ["interpretability-methods"]),
    (r"lime and shap|interpretability methods|shap or captum", 40, ["interpretability-methods", "python-data-stack"]),  # fmt: skip
    (r"captum", 20, ["interpretability-methods", "advanced-visualization"]),
    (r"(set up|create|start) a github|github repo", 3, ["version-control"]),
    (r"document every project on github", 12, ["version-control", "communication"]),
    (r"80,000 hours career guide to plan", 6, ["ai-safety-fundamentals"]),
    (r"python environment", 4, ["python", "ml-frameworks"]),
    (r"install docker", 6, ["docker"]),
    (r"start a github repo with your first", 12, ["version-control", "interpretability-methods"]),
    (r"under git|version-controlled", 8, ["version-control"]),
    (r"ci/cd", 12, ["ci-cd"]),
    (r"containerise", 10, ["docker"]),
    (r"serve a trained model|behind an api", 20, ["model-serving"]),
    (r"data pipeline", 24, ["data-pipelines"]),
    (r"mlflow|aws, gcp|vertex", 24, ["cloud-ml"]),
    (r"monitoring|a/b test", 16, ["monitoring"]),
    (r"numpy, pandas", None, ["python-data-stack"]),
    (r"probability, linear algebra and calculus|statistics, linear algebra|statistics and probability", None, ["statistical-foundations"]),  # fmt: skip
    (r"linear algebra|optimisation and information theory", None, ["deep-math"]),
    (r"portfolio projects|portfolio model|portfolio project", 80, ["model-training", "model-serving"]),  # fmt: skip
    (r"train each model", 40, ["model-training", "ml-frameworks"]),
    (r"open-source|open safety research|contribution to hugging face", 30, ["ai-community", "implementation-skills"]),  # fmt: skip
    (r"reproduce", 60, ["implementation-skills", "research-methodology"]),
    (r"research idea|research project|independent project|independent research", 80, ["implementation-skills", "research-methodology"]),  # fmt: skip
    (r"seminal papers|read .*arxiv|research papers on arxiv|arxiv paper", 12, ["research-literature"]),  # fmt: skip
    (r"preprint|arxiv|research-style paper|submit a paper|top venue", 40, ["publication-record", "academic-writing"]),  # fmt: skip
    (r"blog", 10, ["academic-writing", "communication"]),
    (r"write up|post your findings", 16, ["academic-writing"]),
    (r"conferences|neurips", 16, ["ai-community"]),
    (r"connect with|network with|engage with the ai research community", 10, ["ai-community"]),
    (r"challenges on platforms", 30, ["interpretability-methods", "problem-solving"]),
    (r"portfolio showcasing", 20, ["interpretability-methods", "communication"]),
    (r"interviews", 20, ["problem-solving", "communication"]),
    (r"reddit|communities", 2, ["ai-community"]),
    (r"alignment, interpretability|arena|technical safety|80,000 hours ai safety career guide|human compatible", None, ["ai-safety-fundamentals"]),  # fmt: skip
    (r"emphasis", 6, ["safety-techniques"]),
    (r"mats", 12, ["safety-techniques", "ai-safety-fundamentals"]),
    (r"institutional structures|governance question|analysis independently", None, ["governance-research"]),  # fmt: skip
    (r"master's|phd routes", 20, ["research-skills"]),
    (r"internship", 20, ["publication-record"]),
    (r"core vocabulary", 6, ["ml-fundamentals"]),
    (r"feasib|research problem|good questions", 10, ["ml-capabilities", "feasibility"]),
    (r"how ai products work", None, ["how-ai-products-work"]),
    (r"success metrics", 10, ["success-metrics", "product-strategy"]),
    (r"strategy|roadmap", 16, ["product-strategy"]),
    (r"prioritisation", 20, ["prioritisation"]),
    (r"stakeholders and users|shadow|ai-focused product team|engagement|manager", 16, ["collaboration", "how-ai-products-work"]),  # fmt: skip
    (r"domain expertise", 20, ["domain-expertise"]),
    (r"ai product work|technical judgement", 10, ["communication", "how-ai-products-work"]),
    (r"capabilities and failure modes", None, ["ai-systems-understanding"]),
    (r"ada lovelace|ai now|future of life|substack|publish regularly|publish at the intersection|submit a paper", 24, ["ai-ethics-writing", "communication"]),  # fmt: skip
    (r"intersection", 12, ["intersection-research"]),
    (r"bias and fairness", 24, ["bias-fairness"]),
    (r"privacy", 16, ["privacy"]),
    (r"ethical review framework", 16, ["ethical-review"]),
    (r"policymakers|regulators", 16, ["public-policy", "communication"]),
    (r"salary|benchmark offers", 3, ["comfort-with-data"]),
    (r"capability and risk", 8, ["ai-technical-literacy", "communication"]),
    (r"interpretable machine learning", 2, ["interpretability-methods"]),
    (r"hugging face", 2, ["ml-frameworks", "model-training"]),
    (r"80,000 hours|anthropic", 2, ["ai-safety-fundamentals"]),
    (r"deepmind|bureau of labour", 1, ["research-literature"]),
    (r"pytorch", 2, ["ml-frameworks"]),
    (r"kaggle", 1, ["python-data-stack"]),
    (r"^github|github portfolio|github:", 1, ["version-control"]),
    (r"docker", 2, ["docker"]),
    (r"kubeflow|langchain|ollama", 2, ["cloud-ml"]),
    (r"drivendata", 1, ["interpretability-methods"]),
    (r"linkedin groups", 1, ["ai-community"]),
    (r"target|apply|shortlist|list |compare|consider|look for|lead applications|present production|check mats", 10, None),  # fmt: skip
]  # fmt: skip
LEARNING = re.compile(r"^(complete|take|study|review|read|work through|get comfortable|learn|finish)", re.I)  # fmt: skip

# Orders the seeds state outright, by transition: item key -> keys it comes after.
OVERRIDES = {
    "software-engineer-to-ai-interpretability-researcher": {
        "p1-build-basic-neural-networks-pytorch": ["p1-set-up-github-repository-interpretability-projects"],  # fmt: skip
        "p2-implement-interpretability-methods-lime-shap-kaggle-datasets": ["p1-read-interpretable-machine-learning-book", "p1-build-basic-neural-networks-pytorch"],  # fmt: skip
        "p2-visualize-model-decisions-using-captum": ["p1-build-basic-neural-networks-pytorch"],
        "p4-publish-research-style-paper-arxiv-blog": ["p2-start-blog-document-findings"],
        "p4-build-portfolio-showcasing-interpretability-projects": ["p2-implement-interpretability-methods-lime-shap-kaggle-datasets"],  # fmt: skip
        "p4-apply-mid-level-ai-interpretability-researcher-roles": ["p4-build-portfolio-showcasing-interpretability-projects"],  # fmt: skip
    },
}  # fmt: skip


def skill_of(name: str) -> str:
    if name not in NAMED:
        sys.exit(f"no skill for {name!r}: add it to NAMED")
    return NAMED[name]


def match_rule(title: str):
    for pattern, hours, skills in TASK_RULES:
        if re.search(pattern, title, re.I):
            return hours, skills
    return None


def rule_for(title: str):
    return match_rule(title) or sys.exit(f"no rule for the item {title!r}: add one to TASK_RULES")


def learning_hours(skills: list[str], weeks: dict[str, int], typical: dict[str, int]) -> int:
    first = skills[0]
    return weeks.get(first, typical[first]) * HOURS_A_WEEK


def resource_hours(item: dict) -> int:
    return {"course": 2, "book": 2, "docs": 2, "programme": 4}.get(item.get("resource_type"), 1)


def enrich_transition(t: dict, typical: dict[str, int]) -> None:
    for entry in t["transferable_skills"]:
        entry["skill"] = skill_of(entry["name"])
    weeks = {}
    for entry in t["skills_to_learn"]:
        entry["skill"] = skill_of(entry["name"])
        weeks.setdefault(entry["skill"], entry["weeks"])
    taught: dict[str, tuple[int, str]] = {}  # skill -> (phase, key of its learning task)
    for number, phase in enumerate(t["phases"], start=1):
        for item in phase["tasks"]:
            hours, skills = rule_for(item["title"])
            skills = skills or []
            if hours is None:
                hours = learning_hours(skills, weeks, typical)
            item["effort_hours"], item["skills"] = hours, skills
            needs = {taught[s][1] for s in skills if s in taught and taught[s][0] < number}
            if not LEARNING.match(item["title"]) and needs:
                item["depends_on"] = sorted(needs)
            if LEARNING.match(item["title"]):
                for skill in skills:
                    taught.setdefault(skill, (number, item["key"]))
        for item in phase["resources"]:
            item["effort_hours"] = resource_hours(item)
            found = match_rule(item["title"])
            item["skills"] = (found[1] if found else None) or []
    started: dict[str, str] = {}  # skill -> key of the earlier action step that starts it
    for horizon in ("week", "month", "quarter"):
        for item in t["action_plan"][horizon]:
            hours, skills = rule_for(item["title"])
            skills = skills or []
            if hours is None:
                hours = 2 if re.match(r"^(enroll|start|enrol)", item["title"], re.I) else learning_hours(skills, weeks, typical) // 3  # fmt: skip
                skills = skills or rule_for(re.sub(r"^(enroll in|start|enrol in)\s+", "", item["title"], flags=re.I))[1] or []  # fmt: skip
            if not skills:  # "Start the fast.ai course": what the course teaches
                plain = re.sub(r"^(enroll in|enrol in|start)\s+", "", item["title"], flags=re.I)
                skills = (match_rule(plain) or (0, None))[1] or []
            item["effort_hours"], item["skills"] = max(hours, 1), skills
            before = {started[s] for s in skills if s in started}
            if before and re.match(r"^(finish|complete)", item["title"], re.I):
                item["depends_on"] = sorted(before)
            for skill in skills:
                started.setdefault(skill, item["key"])
    for key, deps in OVERRIDES.get(t["slug"], {}).items():
        for item, _ in items(t):
            if item["key"] == key:
                item["depends_on"] = sorted(set(item.get("depends_on", [])) | set(deps))


def items(t: dict):
    for phase in t["phases"]:
        for section in ("tasks", "resources"):
            for item in phase[section]:
                yield item, section
    for horizon in ("week", "month", "quarter"):
        for item in t["action_plan"][horizon]:
            yield item, horizon


def main() -> None:
    sys.path.insert(0, str(CATALOG.parents[2]))
    from careers.catalog import schema

    data = json.loads(CATALOG.read_text(encoding="utf-8"))
    order = {slug: n for n, (slug, *_rest) in enumerate(SKILLS)}
    typical = {slug: weeks for slug, _n, _a, weeks, _d in SKILLS}
    by_order = lambda slugs: sorted(dict.fromkeys(slugs), key=order.__getitem__)  # noqa: E731
    skills = [
        {"slug": s, "name": n, "area": a, "description": d, "typical_weeks": w}
        for s, n, a, w, d in SKILLS
    ]
    for role in data["roles"]:
        role["skills"] = by_order(ROLE_SKILLS[role["slug"]])
    for t in data["transitions"]:
        enrich_transition(t, typical)
        for item, _ in items(t):
            item["skills"] = by_order(item.get("skills") or [])
    data = {"roles": data["roles"], "skills": skills, **{k: data[k] for k in ("glossary", "faqs", "transitions")}}  # fmt: skip
    data = ordered(schema.CATALOG, data)
    schema.validate(json.loads(json.dumps(data)))
    CATALOG.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def ordered(spec, value):
    """Keys in the schema's order, empty optional lists left out, as the exporter writes."""
    from careers.catalog import schema

    if isinstance(spec, schema.Obj) and isinstance(value, dict):
        return {
            key: ordered(spec.fields[key], value[key])
            for key in spec.fields
            if key in value
            and not (
                key in spec.optional
                and value[key] in (None, [])
                and key != "skills"
                or (key == "skills" and value[key] == [] and spec is not schema.CATALOG)
            )  # fmt: skip
        }
    if isinstance(spec, schema.ListOf) and isinstance(value, list):
        return [ordered(spec.item, v) for v in value]
    return value


if __name__ == "__main__":
    main()
