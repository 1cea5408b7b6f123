from django.urls import reverse
from django.utils.translation import gettext_lazy as _


def navigation(request):
    """Main navigation entries; staff entries only for authenticated users."""
    public = [
        (_("Trang chủ"), reverse("core:home")),
        (_("Thủ tục hành chính"), reverse("procedures:list")),
        (_("Tra cứu hồ sơ"), reverse("dossiers:status")),
        (_("Nộp hồ sơ trực tuyến"), reverse("dossiers:submit")),
    ]
    staff = []
    if request.user.is_authenticated:
        staff = [
            (_("Bảng điều khiển"), reverse("core:dashboard")),
            (_("Hồ sơ một cửa"), reverse("dossiers:queue")),
            (_("Chuyển đổi địa chỉ"), reverse("geography:resolve")),
            (_("Đơn vị hành chính"), reverse("geography:provinces")),
            (_("Bộ máy tổ chức"), reverse("apparatus:tree")),
        ]
    return {"nav_public": public, "nav_staff": staff}
