"""review of edits: pending changes to oils, and revisions that keep the entry before and after and the source

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "pending_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("oil_slug", sa.String(length=60), nullable=False),
        sa.Column("action", sa.String(length=20), nullable=False),
        sa.Column("entry", sa.JSON(), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("base_version", sa.Integer(), nullable=True),
        sa.Column("source", sa.String(length=60), nullable=False),
        sa.Column("comment", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author", sa.String(length=80), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=True),
        sa.Column("reviewer", sa.String(length=80), nullable=True),
        sa.Column("review_comment", sa.String(length=500), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('pending', 'approved', 'rejected')", name=op.f("ck_pending_changes_status")),
        sa.CheckConstraint("action IN ('create', 'update')", name=op.f("ck_pending_changes_action")),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_pending_changes_author_id_users"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_pending_changes_reviewer_id_users"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pending_changes")),
    )
    op.create_index("ix_pending_changes_slug_status", "pending_changes", ["oil_slug", "status"])
    with op.batch_alter_table("oil_revisions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("before", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("after", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("source", sa.String(length=60), nullable=True))
        batch_op.add_column(sa.Column("pending_id", sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table("oil_revisions", schema=None) as batch_op:
        batch_op.drop_column("pending_id")
        batch_op.drop_column("source")
        batch_op.drop_column("after")
        batch_op.drop_column("before")
    op.drop_index("ix_pending_changes_slug_status", table_name="pending_changes")
    op.drop_table("pending_changes")
