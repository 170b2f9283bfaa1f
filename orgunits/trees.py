"""Treebeard trees whose nodes may only stand where their rules allow.

The organisation and the goal chain are both materialized-path trees with placement rules. This
module holds what the two share: a manager that locks the tree and asks the node before every add,
move and deletion, a model mixin that runs the same check from ``clean()`` and never writes the
tree's own fields from an edit, nesting a fetched (sub)tree for rendering (and
flattening it for a template's flat loop), and the arithmetic of paths: a node's parent and
ancestors (``parent_path``, ``ancestor_paths``), its subtree as a filter (``subtree_of``), its
parent as a subquery (``parent_subquery``) and the range of paths below it (``below_outer``). Code
elsewhere asks these rather than slicing paths by hand. A model supplies only
``placement_problems(*, parent)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F, OuterRef, Q, Subquery, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Concat, Length, Substr
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from orgunits.concurrency import lock, reread

# treebeard positions that make the target the new parent; every other position makes the target
# a sibling, so the target's parent becomes the new parent.
CHILD_POSITIONS = frozenset({"first-child", "last-child", "sorted-child"})

# The change reason a history row gets when its node was moved.
MOVED = "moved"

# The value of ``GuardedNode.destination`` while a node is not being placed.
CURRENT_PLACE = object()


@dataclass
class TreeNode:
    """A node with its children, for rendering a (sub)tree that was fetched in one query."""

    item: Any
    children: list[TreeNode] = field(default_factory=list)


def nest(items) -> list[TreeNode]:
    """Nest tree nodes, given in path order, under each other by their paths.

    A node whose parent is not among them hangs under its nearest ancestor that is, so a filtered
    tree keeps its shape; with none, it stands at the top of the result.
    """
    roots: list[TreeNode] = []
    by_path: dict[str, TreeNode] = {}
    for item in items:
        node = TreeNode(item)
        by_path[item.path] = node
        ancestor_paths = (item.path[:end] for end in range(len(item.path) - item.steplen, 0, -item.steplen))
        nearest = next((by_path[path] for path in ancestor_paths if path in by_path), None)
        (nearest.children if nearest else roots).append(node)
    return roots


@dataclass
class FlatNode:
    """A node of a nested (sub)tree as a flat loop renders it: how many children it shows (a
    branch opens after it when it has any) and how many branches end after it."""

    item: Any
    children: int
    closes: int = 0

    @property
    def closing(self) -> range:
        """One step per branch that ends after this node, for a template's ``{% for %}``."""
        return range(self.closes)


def flatten(forest: list[TreeNode]) -> list[FlatNode]:
    """The nodes of a nested forest in order, each saying where branches open and close, so that a
    template renders a large tree in one flat loop instead of an ``{% include %}`` per node (like
    django-mptt's ``tree_info``)."""
    flat: list[FlatNode] = []

    def visit(nodes: list[TreeNode]) -> None:
        for node in nodes:
            flat.append(FlatNode(node.item, len(node.children)))
            if node.children:
                visit(node.children)
                flat[-1].closes += 1  # the last node of the branch closes it

    visit(forest)
    return flat


def below_outer(model: type[MP_Node], outer: str = "path") -> Q:
    """The nodes strictly below the outer query's node whose path is ``OuterRef(outer)``.

    A range of paths (as treebeard finds children), not ``path__startswith=OuterRef(outer)``: a
    LIKE against another row's column can use no index, so it reads the whole table for every outer
    row, where the range is one index seek.
    """
    last = model.alphabet[-1] * model._meta.get_field("path").max_length
    return Q(path__gt=OuterRef(outer), path__lte=Concat(OuterRef(outer), Value(last)))


def ancestor_paths(path: str, steplen: int, *, include_self: bool = False) -> list[str]:
    """The paths above the node at ``path``, from the root down (and ``path`` last, with
    ``include_self``): for code that holds a path without its node."""
    end = len(path) + (1 if include_self else 0)
    return [path[:stop] for stop in range(steplen, end, steplen)]


def subtree_of(node: MP_Node, through: str = "", *, include_self: bool = True) -> Q:
    """The node and everything below it (or only what is below it), as a filter on the tree's model,
    or on a model that points at it through the relation ``through`` (``subtree_of(unit,
    "org_unit__")``).

    A range of paths, as ``below_outer`` is for another row's node, rather than treebeard's LIKE,
    which an index serves only under the C collation.
    """
    last = node.path + type(node).alphabet[-1] * type(node)._meta.get_field("path").max_length
    above = {f"{through}path__gte" if include_self else f"{through}path__gt": node.path}
    return Q(**above, **{f"{through}path__lte": last})


def parent_path_of(model: type[MP_Node], path: str | Combinable = "path") -> Substr:
    """The path of the parent of the node whose path is ``path`` (a field name, possibly across a
    relation, or an expression such as ``OuterRef("path")``), as an expression: '' for a root."""
    path = F(path) if isinstance(path, str) else path
    return Substr(path, 1, Length(path) - model.steplen)


def parent_subquery(model: type[MP_Node], field: str) -> Subquery:
    """The parent's ``field`` (None for a root) of each node a query on ``model`` returns, as a
    subquery: a whole list annotated with its parents' slugs or ids in one query."""
    parents = model.objects.filter(path=parent_path_of(model, OuterRef("path")))
    return Subquery(parents.values(field)[:1])


class GuardedNodeQuerySet(MP_NodeQuerySet):
    def forest(self) -> list[TreeNode]:
        """Nest the nodes of this queryset (one query) under each other by their paths."""
        return nest(self.order_by("path"))

    def delete(self, *args, **kwargs):
        # Treebeard deletes whole branches and lowers the parents' ``numchild``: a structural
        # change like any other, serialised with them.
        with transaction.atomic(using=self.db):
            self.model.objects.lock_tree(*self.order_by())
            return super().delete(*args, **kwargs)

    delete.alters_data = True
    delete.queryset_only = True


class GuardedNodeManager(MP_NodeManager):
    """Treebeard's manager, asking the node's rules before any node is written, one writer at a time.

    Every way into the tree (``add_root``, ``add_child``, ``add_sibling``, ``move``, and deleting)
    first takes the lock of the tree it changes (``lock_tree``), then reads the nodes involved
    again, and checks the placement against the tree as it is now: two admins moving units at once
    take turns, and the second move is checked against the first one's result. A placement that
    breaks a rule raises a ``ValidationError`` with the rules' messages, and writes nothing.
    Treebeard itself takes no lock on a move (its docs leave that to the caller).
    """

    queryset_class = GuardedNodeQuerySet

    def get_queryset(self):
        return self.queryset_class(self.model, using=self._db).order_by("path")

    def lock_tree(self, *nodes: GuardedNode, roots: bool = False, shared: bool = False) -> None:
        """Serialise, until the transaction ends, every structural change of the trees that
        ``nodes`` stand in; with ``roots``, also of the level of the roots, which all of the
        model's trees share (a new root's path follows the last root's, whatever its tree). A
        ``shared`` lock is a reader's: it keeps the trees from changing, and many hold it at once.

        First, shared, the locks of the trees this tree's rules read (``trees_read``): the goal
        chains are placed on the organisation, which must not move meanwhile. Always in that
        order, the tree read before the tree written, so no two writers wait for each other.
        """
        for tree in self.model.trees_read():
            tree.objects.lock_tree(tree(), shared=True)
        table = self.model._meta.db_table
        keys = {f"tree:{table}:{node.tree_key}" for node in nodes}
        if roots:
            keys.add(f"tree:{table}:roots")
        lock(*keys, shared=shared)

    def add_root(self, create_kwargs=None, *, instance=None):
        node = instance or self.model(**create_kwargs)
        with transaction.atomic(using=self._db):
            self.lock_tree(node, roots=True)
            node.reread_what_placement_reads()
            node.check_placement(parent=None)
            return super().add_root(instance=node)

    def add_child(self, target, create_kwargs=None, *, instance=None):
        node = instance or self.model(**create_kwargs)
        with transaction.atomic(using=self._db):
            self.lock_tree(node, target)
            target.reread()
            for item in (node, target):
                item.reread_what_placement_reads()
            node.check_placement(parent=target)
            return super().add_child(target, instance=node)

    def add_sibling(self, target, pos=None, create_kwargs=None, *, instance=None):
        node = instance or self.model(**create_kwargs)
        with transaction.atomic(using=self._db):
            self.lock_tree(node, target, roots=True)
            target.reread()
            node.reread_what_placement_reads()
            node.check_placement(parent=self.get_parent(target, update=True))
            return super().add_sibling(target, pos, instance=node)

    def move(self, node, target, pos=None):
        if node.tree_key != target.tree_key:
            # A node never moves into another of the model's trees (a goal stays in its year's
            # chain), whose rules refuse it whatever the trees hold. Refused before any lock: an
            # edit holds its own tree's lock already, and one that then waited for another tree's
            # would deadlock with a move the other way round.
            node.check_placement(parent=target if pos in CHILD_POSITIONS else self.get_parent(target))
        with transaction.atomic(using=self._db):
            self.lock_tree(node, target, roots=pos not in CHILD_POSITIONS)
            # The rules compare paths and kinds, so they must be the ones in the database now,
            # not copies read before another writer's change.
            for item in (node, target):
                item.reread()
                item.reread_what_placement_reads()
            parent = target if pos in CHILD_POSITIONS else self.get_parent(target, update=True)
            node.check_placement(parent=parent)
            super().move(node, target, pos)
            # Treebeard rewrites paths in bulk SQL, which no save() sees; save the moved node once
            # so that its history records the move.
            node.refresh_from_db()
            node._change_reason = MOVED
            node.save(update_fields=node.content_fields())


class GuardedNode(MP_Node):
    """A tree node that checks ``placement_problems`` from ``clean()`` as well as on add and move."""

    # Not stored. A form that places a node (adds or moves it) sets the new parent here (None for
    # the top), so that clean() checks the node against the place it is going to.
    destination: Any = CURRENT_PLACE

    class Meta:
        abstract = True

    def placement_problems(self, *, parent) -> list[str]:
        """Every reason why this node, as it is in memory, may not stand directly under ``parent``."""
        raise NotImplementedError

    def reread(self, *, fresh: GuardedNode | None = None) -> None:
        """Take the values this node has in the database now (``orgunits.concurrency.reread``),
        forgetting what treebeard cached from the old ones (the parent)."""
        reread(self, fresh=fresh)
        self._clear_cached_attributes()

    def lock_for_edit(self, seen: int | None) -> None:
        """For a node that is also ``Versioned``: the tree's lock comes before the row's, in every
        writer, so that an edit never waits for a move that waits for it."""
        type(self).objects.lock_tree(self)
        super().lock_for_edit(seen)

    @classmethod
    def trees_read(cls) -> list[type[GuardedNode]]:
        """The models of the other trees whose shape this tree's placement rules read."""
        return []

    def reread_what_placement_reads(self) -> None:
        """Read again, under the trees' locks, what of other trees the placement rules look at and
        this node holds in memory; nothing unless a model says otherwise."""

    @property
    def tree_key(self) -> str:
        """Which of the model's trees this node stands in, for ``GuardedNodeManager.lock_tree``:
        one tree for the whole table unless a model says otherwise."""
        return "all"

    @classmethod
    def content_fields(cls) -> list[str]:
        """The fields an edit writes: all but the primary key and the tree's own fields."""
        return [
            field.name
            for field in cls._meta.concrete_fields
            if not field.primary_key and field.name not in cls._TREE_FIELDS
        ]

    def save(self, *args, update_fields=None, **kwargs):
        """Save a new node as the manager places it; for a node already in the tree, write its
        content only, never ``path``, ``depth`` or ``numchild``: this copy of them may be stale,
        and writing them back would undo another writer's add or move.

        A whole edit (no ``update_fields``) is checked again, under the tree's lock, against the
        tree as it is now: an edit that was valid when its form was read (a kind that fit its
        children) may not be any more, once another writer has added under it.
        """
        if self._state.adding:
            return super().save(*args, update_fields=update_fields, **kwargs)
        if update_fields is not None:
            update_fields = [name for name in update_fields if name not in self._TREE_FIELDS]
            return super().save(*args, update_fields=update_fields, **kwargs)
        manager = type(self).objects
        with transaction.atomic(using=kwargs.get("using")):
            manager.lock_tree(self)
            self.refresh_from_db(fields=self._TREE_FIELDS)
            self.reread_what_placement_reads()
            self.check_placement(parent=manager.get_parent(self, update=True))
            return super().save(*args, update_fields=self.content_fields(), **kwargs)

    def check_placement(self, *, parent) -> None:
        if problems := self.placement_problems(parent=parent):
            raise ValidationError(problems, code="placement")

    def full_clean(self, exclude=None, validate_unique=True, validate_constraints=True):
        # The tree fields are the manager's to set, after validation, never a user's.
        exclude = {*(exclude or ()), *self._TREE_FIELDS}
        super().full_clean(
            exclude=exclude, validate_unique=validate_unique, validate_constraints=validate_constraints
        )

    def clean(self) -> None:
        # A form that places the node says where (``destination``). Otherwise an existing node is
        # checked where it stands, since an edit must still fit its parent and children; a new
        # node without a destination is checked by the manager when placed.
        super().clean()
        if not self.placement_readable():
            return
        if self.destination is not CURRENT_PLACE:
            self.check_placement(parent=self.destination)
        elif self.path:
            self.check_placement(parent=type(self).objects.get_parent(self, update=True))

    def placement_readable(self) -> bool:
        """Whether every field with choices holds one of them (or is a blank it allows).

        The placement rules are tables keyed by such a choice (a unit's kind, a goal's level) and
        cannot be asked about a missing or unknown one. That value is its own field's error ("This
        field is required.", "Select a valid choice."), which the form or ``clean_fields`` shows.
        """
        for model_field in self._meta.concrete_fields:
            if not model_field.choices:
                continue
            value = getattr(self, model_field.attname)
            allowed_blank = model_field.blank and value in model_field.empty_values
            if not allowed_blank and value not in {choice for choice, _label in model_field.flatchoices}:
                return False
        return True

    @property
    def parent_path(self) -> str:
        """The path of this node's parent ('' for a root), without a query."""
        return self.path[: -self.steplen]

    def ancestor_paths(self, *, include_self: bool = False) -> list[str]:
        """The paths of this node's ancestors from the root down (and its own last, with
        ``include_self``), without a query: fetch them with ``path__in``."""
        return ancestor_paths(self.path, self.steplen, include_self=include_self)

    def is_placed_under(self, other: models.Model) -> bool:
        """Whether ``other`` is this node or one of its ancestors (a string comparison, no query)."""
        return self.path.startswith(other.path)
